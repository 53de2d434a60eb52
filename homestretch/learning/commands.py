"""`homestretch model …`: evaluate what predicts losses on any CSV, train and inspect the live model."""

from __future__ import annotations

import typer

from .evaluate_command import evaluate
from .live_commands import status, train

model_app = typer.Typer(help="Learn from history: evaluate, train and inspect the risk model.", no_args_is_help=True)
model_app.command()(evaluate)
model_app.command()(train)
model_app.command()(status)
