"""The ``servtrade`` command line: thin commands over the library."""

from __future__ import annotations

import typer

from servtrade import __version__
from servtrade.cli import accounts as accounts_cli
from servtrade.cli import market as market_cli
from servtrade.cli import report, rules, serve, vocab
from servtrade.cli import stats as stats_cli

app = typer.Typer(
    name="servtrade",
    help="servtrade: statistics, rules and fair matchmaking for cross-border trade in services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"servtrade {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """servtrade: statistics, rules and fair matchmaking for cross-border trade in services."""


app.add_typer(vocab.app, name="vocab")
app.add_typer(stats_cli.app, name="stats")
app.add_typer(rules.app, name="rules")
app.add_typer(market_cli.app, name="market")
app.add_typer(accounts_cli.app, name="accounts")
app.add_typer(report.app, name="report")
app.command("serve")(serve.serve)
app.command("init")(serve.init)


def main() -> None:
    app()
