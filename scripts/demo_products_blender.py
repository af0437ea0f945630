"""Blender side of scripts/render_demo_products.py: load each demo product's meshes, light it like a
product studio, render the photo with Cycles on the CPU and an exact coverage mask with the same camera.

Run by the driver as `blender -b --factory-startup --python scripts/demo_products_blender.py --
WORK SIDE MASK_SIDE SAMPLES category ...`: reads WORK/<category>--<part>.npz (verts in metres, faces,
uv, material: weave, colour or colour/bump/metal textures), WORK/<category>.scene ("flat-lay FRAME"
or "side"), writes WORK/<category>.png (photo, 16 bit) and WORK/<category>_mask.png.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import bpy
import numpy as np
from mathutils import Vector

WEAVES = {
    # weave: roughness, sheen, specular, procedural bump (pattern, period mm, strength); cloth scatters
    # light in its fibres: little specular, a soft sheen at grazing angles, never a plastic gloss
    "knit": (0.95, 1.0, 0.12, ("wales", 1.1, 0.6)),
    "denim": (0.95, 0.6, 0.1, ("twill", 0.9, 0.8)),
    "twill": (0.9, 0.8, 0.14, ("twill", 0.8, 0.7)),
    "linen": (0.95, 0.9, 0.1, ("plain", 0.8, 0.8)),
    "crepe": (0.8, 0.8, 0.18, ("grain", 0.6, 0.4)),
    "wool": (1.0, 1.0, 0.08, ("grain", 0.9, 0.5)),
    "canvas": (0.9, 0.25, 0.25, ("plain", 0.9, 0.9)),
    "rubber": (0.6, 0.0, 0.35, ("grain", 2.0, 0.08)),
    "lace": (0.8, 0.3, 0.25, ("wales", 1.0, 0.5)),
    "metal": (0.3, 0.0, 0.5, ("none", 1.0, 0.0)),
}


def build_part(path: Path) -> None:
    data = np.load(path)
    verts, faces, uv = data["verts"], data["faces"], data["uv"]
    mesh = bpy.data.meshes.new(path.stem)
    mesh.vertices.add(len(verts))
    mesh.vertices.foreach_set("co", verts.astype(np.float32).ravel())
    mesh.loops.add(faces.size)
    mesh.loops.foreach_set("vertex_index", faces.astype(np.int32).ravel())
    mesh.polygons.add(len(faces))
    mesh.polygons.foreach_set("loop_start", np.arange(0, faces.size, 3, dtype=np.int32))
    mesh.polygons.foreach_set("loop_total", np.full(len(faces), 3, np.int32))
    mesh.update(calc_edges=True)
    layer = mesh.uv_layers.new(name="UVMap")
    layer.data.foreach_set("uv", uv[faces.ravel()].astype(np.float32).ravel())
    mesh.polygons.foreach_set("use_smooth", np.ones(len(faces), bool))
    obj = bpy.data.objects.new(path.stem, mesh)
    bpy.context.collection.objects.link(obj)
    obj.data.materials.append(material(path, data))


def _image(path: Path, colorspace: str) -> bpy.types.Image:
    img = bpy.data.images.load(str(path))
    img.colorspace_settings.name = colorspace
    return img


def material(path: Path, data) -> bpy.types.Material:  # noqa: ANN001 - an NpzFile
    weave = str(data["weave"])
    rough, sheen, spec, (pattern, period_mm, strength) = WEAVES[weave]
    metres_per_uv = float(data["uv_metres"])
    mat = bpy.data.materials.new(path.stem)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    bsdf.inputs["Roughness"].default_value = rough
    bsdf.inputs["Sheen"].default_value = sheen
    bsdf.inputs["Sheen Tint"].default_value = 0.6
    bsdf.inputs["Specular"].default_value = spec
    bsdf.inputs["Metallic"].default_value = 1.0 if weave == "metal" else 0.0
    textured = path.with_name(path.stem + "_colour.png").exists()
    height = nodes.new("ShaderNodeMath")
    height.operation = "ADD"
    height.inputs[0].default_value = height.inputs[1].default_value = 0.0
    bump_metres = 0.002
    if textured:
        tex = nodes.new("ShaderNodeTexImage")
        tex.image = _image(path.with_name(path.stem + "_colour.png"), "Linear")
        links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
        btex = nodes.new("ShaderNodeTexImage")
        btex.image = _image(path.with_name(path.stem + "_bump.png"), "Non-Color")
        links.new(btex.outputs["Color"], height.inputs[0])
        bump_metres = float(data["bump_metres"])
        metal = nodes.new("ShaderNodeTexImage")
        metal.image = _image(path.with_name(path.stem + "_metal.png"), "Non-Color")
        links.new(metal.outputs["Color"], bsdf.inputs["Metallic"])
        rmix = nodes.new("ShaderNodeMapRange")
        rmix.inputs["To Min"].default_value, rmix.inputs["To Max"].default_value = rough, 0.3
        links.new(metal.outputs["Color"], rmix.inputs["Value"])
        links.new(rmix.outputs["Result"], bsdf.inputs["Roughness"])
    else:
        bsdf.inputs["Base Color"].default_value = (*[float(x) for x in data["colour"]], 1.0)
    if weave == "canvas":  # the shoe's cotton lining shows inside the collar
        geo, mix = nodes.new("ShaderNodeNewGeometry"), nodes.new("ShaderNodeMixRGB")
        mix.inputs["Color2"].default_value = (0.62, 0.58, 0.5, 1)
        src = bsdf.inputs["Base Color"].links[0].from_socket if bsdf.inputs["Base Color"].is_linked else None
        if src is not None:
            links.new(src, mix.inputs["Color1"])
        else:
            mix.inputs["Color1"].default_value = bsdf.inputs["Base Color"].default_value
        links.new(geo.outputs["Backfacing"], mix.inputs["Fac"])
        links.new(mix.outputs["Color"], bsdf.inputs["Base Color"])
    if pattern != "none":
        pat = _pattern(nodes, links, pattern, metres_per_uv * 1000 / period_mm)
        scaled = nodes.new("ShaderNodeMath")
        scaled.operation = "MULTIPLY"
        scaled.inputs[1].default_value = strength * period_mm / 1000 / bump_metres
        links.new(pat, scaled.inputs[0])
        links.new(scaled.outputs[0], height.inputs[1])
    bmp = nodes.new("ShaderNodeBump")
    bmp.inputs["Distance"].default_value = bump_metres
    links.new(height.outputs[0], bmp.inputs["Height"])
    links.new(bmp.outputs["Normal"], bsdf.inputs["Normal"])
    return mat


def _pattern(nodes, links, pattern: str, scale: float):  # noqa: ANN001, ANN202 - Blender node sockets
    coord = nodes.new("ShaderNodeTexCoord")
    if pattern == "grain":
        noise = nodes.new("ShaderNodeTexNoise")
        noise.inputs["Scale"].default_value = scale
        noise.inputs["Detail"].default_value = 4.0
        links.new(coord.outputs["UV"], noise.inputs["Vector"])
        return noise.outputs["Fac"]
    waves = []
    for direction in {"wales": ["X"], "twill": ["DIAGONAL"], "plain": ["X", "Y"]}[pattern]:
        wave = nodes.new("ShaderNodeTexWave")
        wave.bands_direction = direction
        wave.inputs["Scale"].default_value = scale / (1.4 if direction == "DIAGONAL" else 1.0)
        wave.inputs["Distortion"].default_value = 0.6
        wave.inputs["Detail"].default_value = 1.0
        links.new(coord.outputs["UV"], wave.inputs["Vector"])
        waves.append(wave.outputs["Fac"])
    if len(waves) == 1:
        return waves[0]
    add = nodes.new("ShaderNodeMath")
    add.operation = "MULTIPLY"
    links.new(waves[0], add.inputs[0])
    links.new(waves[1], add.inputs[1])
    return add.outputs[0]


def paper(side: bool) -> None:
    """Seamless paper: a floor, and for the side shot a cove rising to the wall behind."""
    prof = [(-6.0, 0.0), (0.25, 0.0)] if side else [(-6.0, 0.0), (6.0, 0.0)]
    if side:
        r = 0.5
        prof += [(0.25 + r * math.sin(t), r - r * math.cos(t)) for t in np.linspace(0, math.pi / 2, 24)[1:]]
        prof.append((0.75, 4.0))
    verts = [(x, y, z) for x in (-6.0, 6.0) for y, z in prof]
    k = len(prof)
    mesh = bpy.data.meshes.new("sweep")
    mesh.from_pydata(verts, [], [(i, i + 1, k + i + 1, k + i) for i in range(k - 1)])
    mesh.polygons.foreach_set("use_smooth", [True] * len(mesh.polygons))
    obj = bpy.data.objects.new("sweep", mesh)
    bpy.context.collection.objects.link(obj)
    mat = bpy.data.materials.new("paper")
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (0.80, 0.775, 0.74, 1)
    bsdf.inputs["Roughness"].default_value = 0.9
    bsdf.inputs["Specular"].default_value = 0.2
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    fibres, bump = nodes.new("ShaderNodeTexNoise"), nodes.new("ShaderNodeBump")
    fibres.inputs["Scale"].default_value = 900.0  # paper's tooth, about a millimetre
    fibres.inputs["Detail"].default_value = 6.0
    links.new(nodes.new("ShaderNodeTexCoord").outputs["Object"], fibres.inputs["Vector"])
    bump.inputs["Strength"].default_value = 0.06
    links.new(fibres.outputs["Fac"], bump.inputs["Height"])
    links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])
    obj.data.materials.append(mat)


def _aim(obj: bpy.types.Object, target: tuple[float, float, float]) -> None:
    obj.rotation_euler = (Vector(target) - obj.location).to_track_quat("-Z", "Y").to_euler()


def studio(kind: str, frame: float, key_deg: tuple[float, float] = (160.0, 22.0)) -> None:
    """Key light from the upper left (a large soft source), fill from the room, the camera."""
    side = kind == "side"
    paper(side)
    sun = bpy.data.lights.new("key", "SUN")
    sun.angle = math.radians(24 if side else 30)
    sun.energy = 4.0 if side else 8.0 * math.sin(math.radians(22)) / math.sin(math.radians(key_deg[1]))
    key = bpy.data.objects.new("key", sun)
    if side:  # the sneaker: up front left, high, so its shadow falls under and behind it
        key.location = (-0.55, -0.55, 0.75)
    else:
        az, el = (math.radians(a) for a in key_deg)
        key.location = (math.cos(az) * math.cos(el), math.sin(az) * math.cos(el), math.sin(el))
    _aim(key, (0.0, 0.0, 0.0))
    bpy.context.collection.objects.link(key)
    world = bpy.data.worlds.new("world")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (1.0, 0.98, 0.95, 1)
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.28
    bpy.context.scene.world = world
    cam = bpy.data.cameras.new("cam")
    obj = bpy.data.objects.new("cam", cam)
    if side:
        cam.lens, cam.sensor_width, cam.sensor_fit = 70.0, 36.0, "HORIZONTAL"
        target = (0.004, 0.0, 0.058)
        el, yaw, dist = math.radians(12), math.radians(22), frame / 2 / (18.0 / 70.0)
        obj.location = (
            dist * math.cos(el) * math.sin(yaw),
            -dist * math.cos(el) * math.cos(yaw),
            0.058 + dist * math.sin(el),
        )
        _aim(obj, target)
    else:
        cam.type, cam.ortho_scale = "ORTHO", frame
        obj.location = (0.0, 0.0, 3.0)
        obj.rotation_euler = (0.0, 0.0, 0.0)
    bpy.context.collection.objects.link(obj)
    bpy.context.scene.camera = obj


def render(category: str, work: Path, side: int, mask_side: int, samples: int) -> None:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    for path in sorted(work.glob(f"{category}--*.npz")):
        build_part(path)
    kind, frame, *key = (work / f"{category}.scene").read_text().split()
    studio(kind, float(frame), *([tuple(float(a) for a in key)] if key else []))
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.render.resolution_x = scene.render.resolution_y = side
    scene.render.resolution_percentage = 100
    scene.cycles.samples = samples
    scene.cycles.use_adaptive_sampling = True
    scene.cycles.adaptive_threshold = 0.01
    scene.cycles.max_bounces, scene.cycles.diffuse_bounces, scene.cycles.glossy_bounces = 4, 2, 1
    scene.cycles.caustics_reflective = scene.cycles.caustics_refractive = False
    scene.cycles.transmission_bounces = scene.cycles.transparent_max_bounces = 0
    scene.cycles.sample_clamp_indirect = 1.0
    scene.cycles.seed = 1
    scene.cycles.use_denoising = False
    scene.cycles.filter_width = 1.5
    scene.render.threads_mode = "FIXED"
    scene.render.threads = 2
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = -0.7 if kind == "side" else -0.4
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.color_depth = "16"
    scene.render.filepath = str(work / f"{category}.png")
    bpy.ops.render.render(write_still=True)
    # the mask: the same camera and pixel filter, every product surface pure white, nothing else
    bpy.data.objects["sweep"].hide_render = True
    white = bpy.data.materials.new("white")
    white.use_nodes = True
    nodes = white.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    emit = nodes.new("ShaderNodeEmission")
    white.node_tree.links.new(emit.outputs[0], nodes["Material Output"].inputs["Surface"])
    bpy.context.view_layer.material_override = white
    scene.world.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.0
    for obj in bpy.data.objects:
        obj.hide_render = obj.hide_render or obj.type == "LIGHT"
    scene.cycles.samples = 16
    scene.cycles.use_adaptive_sampling = False
    scene.render.resolution_x = scene.render.resolution_y = mask_side
    scene.view_settings.view_transform, scene.view_settings.look = "Standard", "None"
    scene.view_settings.exposure = 0.0
    scene.render.dither_intensity = 0.0
    scene.render.image_settings.color_mode = "BW"
    scene.render.image_settings.color_depth = "8"
    scene.render.filepath = str(work / f"{category}_mask.png")
    bpy.ops.render.render(write_still=True)


def main() -> None:
    args = sys.argv[sys.argv.index("--") + 1 :]
    work, side, mask_side, samples = Path(args[0]), int(args[1]), int(args[2]), int(args[3])
    for category in args[4:]:
        render(category, work, side, mask_side, samples)


main()
