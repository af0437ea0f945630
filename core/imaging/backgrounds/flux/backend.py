"""FLUX as a Studio background backend: scene + photography config -> prompt -> BFL -> background.

`new_background("flux", settings, ...)` (see `make_flux_background`) returns a `FluxBackground`: given the
product layer (RGBA at the output size, transparent where the background goes) and the trend scene, it
returns an RGB background of the same size. The pipeline then lays shadows and the exact original product pixels over it,
so FLUX never changes the product. Results are cached on disk by (image hash, prompt, seed, parameters):
a rerun of the same job costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from core.budget import ledger_for
from core.imaging.backgrounds.base import BackgroundJob
from core.imaging.backgrounds.flux.client import FILL_ENDPOINT, FluxClient, FluxResult
from core.imaging.backgrounds.flux.params import generation_params
from core.imaging.backgrounds.flux.prompt import build_prompt, first_colour
from core.progress import Progress
from core.scene import DEFAULT_SCENE
from core.settings import Settings
from core.spend import SpendLedger

log = logging.getLogger(__name__)

MODES = ("fill", "restyle")
USD_PER_CREDIT = 0.01
"""BFL bills in credits: 1 credit = 0.01 USD."""


@dataclass(frozen=True)
class FluxOutcome:
    """One background made (or found in the cache): what a page or report shows."""

    task_id: str
    cost: float | None
    """Credits BFL charged for this call (0 when served from the cache, None if BFL did not say)."""
    cached: bool
    seconds: float
    prompt: str
    size: tuple[int, int]


def credits_to_usd(credits: float) -> float:
    """What `credits` cost in US dollars (the one conversion every page and report uses)."""
    return credits * USD_PER_CREDIT


class FluxBackground:
    """The FLUX background backend; keeps a thread-safe log of outcomes (cost, cache hits)."""

    name = "flux"
    label = "FLUX, generated around the untouched product"

    def __init__(
        self,
        client: FluxClient,
        photography: Mapping[str, Any],
        *,
        prompt: str | None = None,
        seed: int = 0,
        steps: int | None = None,
        guidance: float | None = None,
        mode: str = "fill",
        progress: Progress | None = None,
        cache_dir: Path | None = None,
        ledger: SpendLedger | None = None,
        run: str = "",
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        flux = dict(photography.get("flux") or {})
        self.client = client
        self.photography = photography
        self.prompt = prompt.strip() if prompt and prompt.strip() else None
        self.mode = mode
        self.params, self.max_side = generation_params(flux, seed=seed, steps=steps, guidance=guidance)
        self.progress = progress
        self.cache_dir = cache_dir
        self.ledger = ledger
        """The spending ledger: each paid call is reserved (capped) before it is sent, and logged with `run`."""
        self.run = run
        self.outcomes: list[FluxOutcome] = []
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Batches ship the backend to worker processes: locks and UI callbacks stay behind.
        state = dict(self.__dict__)
        state.pop("_lock", None)
        state["progress"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def total_cost(self) -> float:
        """Credits spent by this backend so far (cache hits are free)."""
        return sum(o.cost or 0.0 for o in self.outcomes)

    @property
    def signature(self) -> str:
        """What makes two runs of this backend differ (prompt, mode, parameters), for page caches."""
        return json.dumps(
            {"prompt": self.prompt, "mode": self.mode, "max_side": self.max_side, **self.params},
            sort_keys=True,
        )

    def prompt_for(self, scene: Mapping[str, Any] | None) -> str:
        return self.prompt or build_prompt(scene, self.photography)

    def render(self, job: BackgroundJob) -> Image.Image:
        return self(job.layer(), dict(job.scene))

    def __call__(self, layer: Image.Image, scene: dict) -> Image.Image:
        if layer.mode != "RGBA":
            raise ValueError("the FLUX backend needs the RGBA product layer (transparent = background)")
        scene = scene or DEFAULT_SCENE  # no trend report yet: the Studio's own default look
        prompt = self.prompt_for(scene)
        if self.mode == "restyle":
            instruction = (self.photography.get("restyle") or {}).get("instruction", "")
            prompt = f"{instruction} {prompt}".strip()
        key = self._cache_key(layer, prompt)
        cached = self._load(key, layer.size)
        if cached is not None:
            outcome = FluxOutcome(self._cached_task(key), 0.0, True, 0.0, prompt, layer.size)
            if self.ledger is not None:
                self.ledger.record_free(
                    "bfl", self._endpoint(), run=self.run, detail={"outcome": asdict(outcome)}
                )
            self._record(outcome)
            if self.progress:
                self.progress(1.0, "FLUX background reused from the cache (no cost)")
            return cached
        result = self._paid_generate(layer, prompt, scene)
        background = result.image.convert("RGB")
        if background.size != layer.size:
            background = background.resize(layer.size, Image.Resampling.LANCZOS)
        self._store(key, background, result, prompt)
        self._record(FluxOutcome(result.task_id, result.cost, False, result.seconds, prompt, layer.size))
        return background

    def ledger_outcomes(self) -> list[FluxOutcome]:
        """Every outcome of this backend's run, from all the processes that made one (the spend ledger)."""
        if self.ledger is None:
            return list(self.outcomes)
        rows = [
            e.detail.get("outcome")
            for e in self.ledger.entries(service="bfl", run=self.run)
            if e.status in ("settled", "free")
        ]
        return [FluxOutcome(**{**row, "size": tuple(row["size"])}) for row in rows if row]

    # -- internals -------------------------------------------------------------------------------------

    def _endpoint(self) -> str:
        if self.mode == "restyle":
            return (self.photography.get("restyle") or {}).get("endpoint", "flux-kontext-pro")
        return FILL_ENDPOINT

    def _paid_generate(self, layer: Image.Image, prompt: str, scene: Mapping[str, Any] | None) -> FluxResult:
        """One reservation per image, made before the first request: its retries reuse it; a failure releases it."""
        if self.ledger is None:
            return self._generate(layer, prompt, scene)
        endpoint = self._endpoint()
        with self.ledger.job("bfl", endpoint, self.ledger.price("bfl", endpoint), run=self.run) as job:
            result = self._generate(layer, prompt, scene)
            outcome = FluxOutcome(result.task_id, result.cost, False, result.seconds, prompt, layer.size)
            job.settle(
                None if result.cost is None else credits_to_usd(result.cost), {"outcome": asdict(outcome)}
            )
        return result

    def _generate(self, layer: Image.Image, prompt: str, scene: Mapping[str, Any] | None) -> FluxResult:
        work = _fit(layer, self.max_side)
        flat = _flatten(work, first_colour(scene))
        p = self.params
        if self.mode == "restyle":
            return self.client.kontext(
                flat,
                prompt,
                seed=p["seed"],
                output_format=p["output_format"],
                safety_tolerance=p["safety_tolerance"],
                endpoint=self._endpoint(),
                progress=self.progress,
            )
        return self.client.fill(
            flat,
            repaint_mask(work),
            prompt,
            steps=p["steps"],
            guidance=p["guidance"],
            seed=p["seed"],
            output_format=p["output_format"],
            safety_tolerance=p["safety_tolerance"],
            progress=self.progress,
        )

    def _cache_key(self, layer: Image.Image, prompt: str) -> str:
        digest = hashlib.sha256()
        digest.update(f"{layer.size}".encode())
        digest.update(layer.tobytes())
        image_hash = digest.hexdigest()
        params = {
            "image": image_hash,
            "prompt": prompt,
            "mode": self.mode,
            "max_side": self.max_side,
            **self.params,
        }
        return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:32]

    def _load(self, key: str, size: tuple[int, int]) -> Image.Image | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{key}.png"
        try:
            with Image.open(path) as img:
                if img.size == size:
                    return img.convert("RGB")
        except (OSError, ValueError):
            return None
        return None

    def _cached_task(self, key: str) -> str:
        try:
            return str(json.loads((self.cache_dir / f"{key}.json").read_text(encoding="utf-8"))["task_id"])
        except (OSError, ValueError, KeyError, TypeError):
            return "cache"

    def _store(self, key: str, image: Image.Image, result: FluxResult, prompt: str) -> None:
        if self.cache_dir is None:
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_dir / f".{key}.{threading.get_ident()}.png"
            image.save(tmp, format="PNG")
            os.replace(tmp, self.cache_dir / f"{key}.png")
            meta = {
                "task_id": result.task_id,
                "cost": result.cost,
                "prompt": prompt,
                **self.params,
                "mode": self.mode,
            }
            (self.cache_dir / f"{key}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        except OSError as exc:  # a full or read-only disk must not lose the image the user paid for
            log.warning("could not cache the FLUX background: %s", exc)

    def _record(self, outcome: FluxOutcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)
        log.info("FLUX background %s", {k: v for k, v in asdict(outcome).items() if k != "prompt"})


def make_flux_background(
    settings: Settings,
    *,
    prompt: str | None = None,
    seed: int = 0,
    steps: int | None = None,
    guidance: float | None = None,
    mode: str = "fill",
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    run: str = "",
    client: FluxClient | None = None,
) -> FluxBackground:
    """The Studio's FLUX backend, configured from settings (key, URL, config/photography.toml), its paid calls
    capped by the server's spending ledger and logged under `run` (a batch folder, a CLI run...).

    Raises `FluxKeyMissing` when no BFL key is configured, so callers can say so before any work.
    """
    photography = settings.section("photography")
    flux = photography.get("flux") or {}
    client = client or FluxClient(
        settings.secret("bfl_api_key"),
        settings.bfl_api_url,
        deadline=float(flux.get("deadline_seconds", 300)),
        poll_interval=float(flux.get("poll_interval_seconds", 1.5)),
    )
    return FluxBackground(
        client,
        photography,
        prompt=prompt,
        seed=seed,
        steps=steps,
        guidance=guidance,
        mode=mode,
        progress=progress,
        ledger=ledger_for(settings),
        run=run,
        cache_dir=cache_dir if cache_dir is not None else settings.cache_dir / "flux",
    )


def repaint_mask(layer: Image.Image) -> Image.Image:
    """BFL's mask convention from the layer's alpha: white (255) = repaint, black = keep the product.

    Partly transparent edge pixels are repainted too: the pipeline lays the original soft edge back on top,
    so the background behind it must be real scenery, not the neutral fill.
    """
    alpha = layer.getchannel("A")
    return alpha.point(lambda a: 0 if a == 255 else 255, mode="L")


def _fit(layer: Image.Image, max_side: int) -> Image.Image:
    w, h = layer.size
    scale = max_side / max(w, h)
    if scale >= 1:
        return layer
    return layer.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)


def _flatten(layer: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """The product over a plain fill in the scene's first colour: a hint FLUX can build on."""
    base = Image.new("RGBA", layer.size, (*colour, 255))
    base.alpha_composite(layer)
    return base.convert("RGB")
