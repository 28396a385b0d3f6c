"""Small click helpers shared by the feature modules' commands."""

from __future__ import annotations

import click


class RegistryChoice(click.Choice):
    """A ``click.Choice`` whose choices are read from a registry (``choices_fn()``, then ``extra``) each time the
    command validates a value or shows its help, so a plug-in registered by its own file is a valid choice without
    an edit to the command."""

    def __init__(self, choices_fn, extra: tuple[str, ...] = ()):
        self._choices_fn, self._extra = choices_fn, tuple(extra)
        self.case_sensitive = True

    @property
    def choices(self):
        return (*self._choices_fn(), *self._extra)


class EncoderOption(click.Option):
    """``--encoder``: its help lists the registered encoders (``align.encoders.describe``), read when shown."""

    def get_help_record(self, ctx):
        from align.encoders import describe

        self.help = f"Sentence encoder: {describe()}."
        return super().get_help_record(ctx)
