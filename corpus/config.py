"""One run configuration (:class:`RunConfig`) and its reproducibility :class:`Signature`.

A run is the source, its editions (ordered: the first is the source side), the encoder and the
configs of the pairing, alignment and flag stages. ``RunConfig.from_yaml`` / ``to_yaml`` read and
write it (``docs/run.example.yaml``); a key that is unknown or of the wrong type is a one-line
:class:`ConfigError` naming the key and the file. Defaults are the tuned defaults of each stage.

:class:`Signature` renders a config (plus tool and encoder versions) as a dict and a short string,
with a stable hash per stage of the config section that stage depends on (segment: nothing; pair:
source + first two editions + encoder + pairing; align: encoder + alignment + the pairing's many1_* values; flag: encoder + flags
incl. the lexicon's content).
The pipeline stores the hashes in each stage's done-marks so a changed config is never mixed in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from align.aligner import AlignConfig
from align.flags import FlagConfig

from .pairing import PairConfig

__all__ = ["ConfigError", "RunConfig", "Signature", "STAGE_SECTIONS", "changed_keys", "script_config", "section_hash",
           "source_editions"]

# stage → the RunConfig sections its results depend on (besides the articles and the upstream stages)
STAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "segment": (),
    "pair": ("source", "editions", "encoder", "pairing"),
    "align": ("encoder", "alignment"),
    "flag": ("encoder", "flags"),
}


class ConfigError(ValueError):
    """A run configuration that cannot be used (unknown key, wrong type, unknown edition); one line."""


def source_editions(source: str) -> tuple[str, ...]:
    """The edition codes ``source`` publishes, in its declared order (read from the source registry)."""
    from .fetch.sources import editions

    try:
        return tuple(editions(source))
    except ValueError as e:
        raise ConfigError(str(e)) from None


def _coerce(value, hint, key: str, origin: str):
    """``value`` (as read from YAML/JSON) as type ``hint``; lists become tuples where the field is a tuple."""
    bad = ConfigError(f"{origin}: {key}: expected {_hint_name(hint)}, got {type(value).__name__} {value!r}")
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for h in (a for a in args if a is not type(None)):
            try:
                return _coerce(value, h, key, origin)
            except ConfigError:
                pass
        raise bad
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise bad
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise bad
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise bad
    if hint is str:
        if isinstance(value, str):
            return value
        raise bad
    origin_t = typing.get_origin(hint)
    if origin_t is tuple:
        if not isinstance(value, (list, tuple)):
            raise bad
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(v, args[0], f"{key}[{i}]", origin) for i, v in enumerate(value))
        if len(value) != len(args):
            raise bad
        return tuple(_coerce(v, a, f"{key}[{i}]", origin) for i, (v, a) in enumerate(zip(value, args)))
    if origin_t is list:
        if not isinstance(value, (list, tuple)):
            raise bad
        return [_coerce(v, args[0], f"{key}[{i}]", origin) for i, v in enumerate(value)]
    if origin_t is dict:
        if not isinstance(value, dict):
            raise bad
        return {_coerce(k, args[0], f"{key} key", origin): _coerce(v, args[1], f"{key}.{k}", origin)
                for k, v in value.items()}
    return value


def _hint_name(hint) -> str:
    return getattr(hint, "__name__", None) if not typing.get_args(hint) else str(hint).replace("typing.", "")


def _plain(value):
    """JSON/YAML-ready: tuples as lists, recursively."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _section_from_dict(cls, data, name: str, origin: str):
    if data is None:
        return cls()
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: {name}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    default = cls()
    kw = {}
    for k, v in data.items():
        if k not in known:
            raise ConfigError(f"{origin}: unknown key {name}.{k}")
        kw[k] = _coerce(v, hints[k], f"{name}.{k}", origin)
        base = getattr(default, k)
        if isinstance(base, dict) and base:  # a table of named values (thresholds, weights): names are fixed
            allowed = set(base) | set(getattr(default, "detectors", ()))
            for sub in kw[k]:
                if sub not in allowed:
                    raise ConfigError(f"{origin}: unknown key {name}.{k}.{sub}")
    return cls(**kw)


@dataclass
class RunConfig:
    """Everything that parameterises a run's results (runtime options such as ``quiet`` are kept apart).

    ``editions``: ordered edition codes of ``source``, the first is the source side (``["ru", "en"]``);
    the stages today use the first two. ``pivot``: an edition the others are paired through (N-way runs;
    unused by the two-edition stages). ``flags.extra_lexicon``: a framing lexicon file extending the
    built-in one (its content, not its path, is part of the flag stage's hash)."""

    source: str = "tass"
    editions: list[str] = field(default_factory=lambda: ["ru", "en"])
    pivot: str | None = None
    encoder: str = "e5-small"
    pairing: PairConfig = field(default_factory=PairConfig)
    alignment: AlignConfig = field(default_factory=AlignConfig)
    flags: FlagConfig = field(default_factory=FlagConfig)

    _SECTIONS = {"pairing": PairConfig, "alignment": AlignConfig, "flags": FlagConfig}

    # ------------------------------------------------------------------ reading and writing
    @classmethod
    def from_dict(cls, data: dict | None, *, origin: str = "config") -> "RunConfig":
        """A config from plain data (missing keys take defaults); ``origin`` names the file in errors."""
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise ConfigError(f"{origin}: expected a mapping at the top level, got {type(data).__name__}")
        kw: dict = {}
        top = {"source": str, "editions": list[str], "pivot": str | None, "encoder": str}
        for k, v in data.items():
            if k in cls._SECTIONS:
                kw[k] = _section_from_dict(cls._SECTIONS[k], v, k, origin)
            elif k in top:
                kw[k] = _coerce(v, top[k], k, origin)
            else:
                raise ConfigError(f"{origin}: unknown key {k}")
        if isinstance(kw.get("editions"), str):  # pragma: no cover - _coerce rejects it
            raise ConfigError(f"{origin}: editions: expected a list")
        cfg = cls(**kw)
        cfg.validate(origin)
        return cfg

    @classmethod
    def from_yaml(cls, path: str | Path) -> "RunConfig":
        """A config from a YAML file (a missing file, bad YAML or a bad key: one-line :class:`ConfigError`)."""
        import yaml

        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"{p}: cannot read: {e.strerror or e}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{p}:{where} not valid YAML ({getattr(e, 'problem', None) or e})") from None
        return cls.from_dict(data, origin=str(p))

    def to_dict(self) -> dict:
        """Plain data (lists, dicts, scalars) that :meth:`from_dict` reads back to an equal config."""
        d = {"source": self.source, "editions": list(self.editions), "pivot": self.pivot, "encoder": self.encoder}
        for name in self._SECTIONS:
            d[name] = _plain(dataclasses.asdict(getattr(self, name)))
        return d

    def to_yaml(self, path: str | Path | None = None) -> str:
        """The config as YAML text (written to ``path`` when given)."""
        import yaml

        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # ------------------------------------------------------------------ use
    def validate(self, origin: str = "config") -> "RunConfig":
        """Check the source and editions (codes of that source, no repeats, at least two; pivot among them)."""
        try:
            known = source_editions(self.source)
        except ConfigError as e:
            raise ConfigError(f"{origin}: source: {e}") from None
        if len(self.editions) < 2:
            raise ConfigError(f"{origin}: editions: give at least two editions of {self.source} (of {', '.join(known)})")
        for e in self.editions:
            if e not in known:
                raise ConfigError(f"{origin}: editions: {self.source} has no edition {e!r} (it has {', '.join(known)})")
        if len(set(self.editions)) != len(self.editions):
            raise ConfigError(f"{origin}: editions: an edition is repeated in {','.join(self.editions)}")
        if self.pivot is not None and self.pivot not in self.editions:
            raise ConfigError(f"{origin}: pivot: {self.pivot!r} is not one of the editions {','.join(self.editions)}")
        return self

    def override(self, *, source: str | None = None, editions=None, encoder: str | None = None,
                 lexicon: str | None = None, origin: str = "command line") -> "RunConfig":
        """A copy with the given command-line values replacing the file's (None: keep)."""
        cfg = dataclasses.replace(self)
        if source is not None:
            cfg.source = source
        if editions is not None:
            cfg.editions = [e.strip() for e in editions.split(",")] if isinstance(editions, str) else list(editions)
        if encoder is not None:
            cfg.encoder = encoder
        if lexicon is not None:
            cfg.flags = dataclasses.replace(cfg.flags, extra_lexicon=str(lexicon))
        return cfg.validate(origin)

    @property
    def src_edition(self) -> str:
        return self.editions[0]

    @property
    def tgt_edition(self) -> str:
        return self.editions[1]

    def signature(self, encoder_signature: str | None = None) -> "Signature":
        return Signature(self, encoder_signature)


def _file_hash(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "unreadable"


class Signature:
    """A run's config and versions, sacrebleu-style: :meth:`as_dict` for the store and exports,
    :meth:`short` for one line, :meth:`stage_hash` per stage (stable across key order and runs).

    ``encoder_signature``: the built encoder's own signature (weights, backend) when known; the
    stage hashes use the configured encoder name so they can be computed without loading it."""

    def __init__(self, cfg: RunConfig, encoder_signature: str | None = None):
        self.cfg = cfg
        self.encoder_signature = encoder_signature

    def section(self, stage: str) -> dict:
        """The plain config values ``stage``'s results depend on (the lexicon file as its content hash)."""
        if stage not in STAGE_SECTIONS:
            raise KeyError(stage)
        full = self.cfg.to_dict()
        full["alignment"] = _plain(dataclasses.asdict(self.cfg.alignment.effective()))
        full["flags"]["extra_lexicon"] = _file_hash(self.cfg.flags.extra_lexicon)
        full["editions"] = full["editions"][:2]  # the stages pair the first two editions
        out = {k: full[k] for k in STAGE_SECTIONS[stage]}
        if stage == "align":  # a many-1 pair is aligned with the part of the target its many1_* values find
            out["pairing_many1"] = {k: v for k, v in full["pairing"].items() if k.startswith("many1_")}
        return out

    def stage_hash(self, stage: str) -> str:
        return section_hash(self.section(stage))

    def hashes(self) -> dict[str, str]:
        return {s: self.stage_hash(s) for s in STAGE_SECTIONS if STAGE_SECTIONS[s]}

    def as_dict(self) -> dict:
        from . import __version__

        c = self.cfg
        return {
            "tool": f"tasscorpus {__version__}",
            "source": c.source,
            "editions": "-".join(c.editions),
            "encoder": self.encoder_signature or c.encoder,
            "pairing": c.pairing.signature(),
            "aligner": c.alignment.effective().signature(),
            "flags": c.flags.signature(),
            "stages": self.hashes(),
        }

    def short(self) -> str:
        from . import __version__

        h = self.hashes()
        return (f"tasscorpus:{__version__}|src:{self.cfg.source}|ed:{'-'.join(self.cfg.editions)}|"
                f"enc:{self.encoder_signature or self.cfg.encoder}|" + "|".join(f"{s}:{v}" for s, v in h.items()))

    __str__ = short


def section_hash(section: dict) -> str:
    """The stable hash of a config section (key order does not matter)."""
    return hashlib.sha1(json.dumps(section, sort_keys=True).encode()).hexdigest()[:12]


def changed_keys(old: dict, new: dict, default: dict | None = None, prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two section dicts (nested dicts compared key by key).
    A key ``old`` lacks (a setting added in a later version) does not count when ``new`` holds its
    ``default`` value: results made before the setting existed are results of its default. A key
    ``new`` lacks (a setting removed since) does not count: no code reads it any more."""
    out = []
    default = default or {}
    for k in sorted(set(old) | set(new)):
        a, b = old.get(k), new.get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            d = default.get(k)
            out += changed_keys(a, b, d if isinstance(d, dict) else None, f"{prefix}{k}.")
        elif k not in old and k in default and b == default[k]:
            continue
        elif k not in new and default and k not in default:
            continue
        elif a != b:
            out.append(f"{prefix}{k}")
    return out


def script_config(path: str | None) -> RunConfig:
    """The run config of an evaluation script's ``--config run.yaml`` (the defaults without one); a bad
    file exits with one line (``bad --config: ...``). Each script reads the section it evaluates."""
    if not path:
        return RunConfig()
    try:
        return RunConfig.from_yaml(path)
    except ConfigError as e:
        raise SystemExit(f"bad --config: {e}") from None
