from servtrade.cli import main

main()
