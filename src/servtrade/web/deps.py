"""Request-scoped dependencies: settings and database sessions from the app state.

The ones that only read the app state are ``async``: FastAPI runs a plain ``def`` dependency in
its thread pool, and the hop costs more than the lookup (bench/api_load.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from servtrade.config import Settings


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def session_factory_of(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    return session_factory_of(request)


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; use cases decide when to commit."""
    with session_factory_of(request)() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
FactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
SessionDep = Annotated[Session, Depends(get_session)]
