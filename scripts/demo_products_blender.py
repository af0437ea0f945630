"""Blender side of scripts/render_demo_products.py: build each demo product, light it like a small
studio, render the photo with Cycles on the CPU and an exact coverage mask of the same camera.

Run by the driver as `blender -b --factory-startup --python scripts/demo_products_blender.py --
WORK SIDE MASK_SIDE SAMPLES category ...`: reads the parts the driver wrote (WORK/<category>--<part>.npz: mesh,
uv, textures, weave), writes WORK/<category>.png (photo, 16 bit) and WORK/<category>_mask.png.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import bpy
import numpy as np

SCALE = 2.0
"""Blender units per unit of the photo square (the square is 2 × 2 units at the garment's plane)."""
LENS_MM = 85.0


def build_part(path: Path) -> bpy.types.Object:
    """A part from the arrays the driver wrote: mesh, uv, colour and bump textures, material."""
    data = np.load(path)
    name = path.stem
    verts = data["verts"]
    xyz = np.stack([(verts[:, 0] - 0.5) * SCALE, verts[:, 2] * SCALE, (0.5 - verts[:, 1]) * SCALE], 1)
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(xyz.tolist(), [], data["faces"].tolist())
    layer = mesh.uv_layers.new(name="UVMap")
    idx = np.zeros(len(mesh.loops), np.int64)
    mesh.loops.foreach_get("vertex_index", idx)
    uv = data["uv"][idx]
    layer.data.foreach_set("uv", np.stack([uv[:, 0], 1 - uv[:, 1]], 1).astype(np.float32).ravel())
    mesh.polygons.foreach_set("use_smooth", [True] * len(mesh.polygons))
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.collection.objects.link(obj)
    obj.data.materials.append(material(name, path, str(data["weave"])))
    return obj


def _image(path: Path, colorspace: str) -> bpy.types.Image:
    img = bpy.data.images.load(str(path))
    img.colorspace_settings.name = colorspace
    return img


WEAVES = {
    # weave: (roughness, sheen, specular, bump strength, procedural pattern)
    "knit": (0.9, 0.35, 0.3, 0.25, "ribs"),
    "denim": (0.92, 0.25, 0.3, 0.3, "twill"),
    "silk": (0.38, 0.2, 0.45, 0.08, "none"),
    "leather": (0.42, 0.0, 0.5, 0.25, "grain"),
    "canvas": (0.9, 0.25, 0.3, 0.3, "plain"),
    "rubber": (0.55, 0.0, 0.4, 0.15, "grain"),
}


def material(name: str, path: Path, weave: str) -> bpy.types.Material:
    rough, sheen, spec, strength, pattern = WEAVES[weave]
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    tex = nodes.new("ShaderNodeTexImage")
    tex.image = _image(path.with_name(name + "_colour.png"), "Linear")
    links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
    btex = nodes.new("ShaderNodeTexImage")
    btex.image = _image(path.with_name(name + "_bump.png"), "Non-Color")
    bsdf.inputs["Roughness"].default_value = rough
    bsdf.inputs["Sheen"].default_value = sheen
    bsdf.inputs["Specular"].default_value = spec
    coord = nodes.new("ShaderNodeTexCoord")
    height = nodes.new("ShaderNodeMath")
    height.operation = "ADD"
    links.new(btex.outputs["Color"], height.inputs[0])
    if pattern != "none":
        pat = _pattern(nodes, links, coord, pattern)
        scaled = nodes.new("ShaderNodeMath")
        scaled.operation = "MULTIPLY"
        scaled.inputs[1].default_value = 0.35
        links.new(pat, scaled.inputs[0])
        links.new(scaled.outputs[0], height.inputs[1])
    bmp = nodes.new("ShaderNodeBump")
    bmp.inputs["Strength"].default_value = strength
    bmp.inputs["Distance"].default_value = 0.004
    links.new(height.outputs[0], bmp.inputs["Height"])
    links.new(bmp.outputs["Normal"], bsdf.inputs["Normal"])
    return mat


def _pattern(nodes, links, coord, pattern: str):  # noqa: ANN001, ANN202 - Blender node sockets
    if pattern == "grain":
        noise = nodes.new("ShaderNodeTexVoronoi")
        noise.inputs["Scale"].default_value = 900.0
        links.new(coord.outputs["UV"], noise.inputs["Vector"])
        return noise.outputs["Distance"]
    wave = nodes.new("ShaderNodeTexWave")
    wave.inputs["Scale"].default_value = {"ribs": 260.0, "twill": 330.0, "plain": 420.0}[pattern]
    wave.inputs["Distortion"].default_value = 1.0
    wave.bands_direction = {"ribs": "X", "twill": "DIAGONAL", "plain": "Y"}[pattern]
    links.new(coord.outputs["UV"], wave.inputs["Vector"])
    return wave.outputs["Fac"]


def backdrop(floor_z: float, wall_y: float) -> bpy.types.Object:
    """A seamless paper sweep: floor, a cove of radius 1.2, then the wall."""
    r = 1.2
    prof = [(-12.0, floor_z), (wall_y - r, floor_z)]
    prof += [
        (wall_y - r + r * math.sin(t), floor_z + r - r * math.cos(t))
        for t in np.linspace(0, math.pi / 2, 24)[1:]
    ]
    prof.append((wall_y, floor_z + 14))
    verts = [(x, y, z) for x in (-14.0, 14.0) for y, z in prof]
    k = len(prof)
    faces = [(i, i + 1, k + i + 1, k + i) for i in range(k - 1)]
    mesh = bpy.data.meshes.new("sweep")
    mesh.from_pydata(verts, [], faces)
    mesh.polygons.foreach_set("use_smooth", [True] * len(mesh.polygons))
    obj = bpy.data.objects.new("sweep", mesh)
    bpy.context.collection.objects.link(obj)
    mat = bpy.data.materials.new("paper")
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (0.62, 0.62, 0.62, 1)
    bsdf.inputs["Roughness"].default_value = 0.95
    obj.data.materials.append(mat)
    return obj


def _light(name: str, loc: tuple, size: float, energy: float, target=(0.0, 0.0, 0.0)) -> None:  # noqa: ANN001
    data = bpy.data.lights.new(name, "AREA")
    data.size, data.energy = size, energy
    obj = bpy.data.objects.new(name, data)
    obj.location = loc
    direction = np.array(target) - np.array(loc)
    obj.rotation_euler = _look(direction)
    bpy.context.collection.objects.link(obj)


def _look(direction: np.ndarray) -> tuple[float, float, float]:
    from mathutils import Vector

    return Vector(direction.tolist()).to_track_quat("-Z", "Y").to_euler()


def studio(shoe: bool) -> None:
    """Key light (large softbox, upper left), fill (right), a top light for the shoulders, camera."""
    floor_z = -0.425 if shoe else -1.35
    backdrop(floor_z, 3.0 if shoe else 1.6)
    _light("key", (-5.0, -2.8, 3.2), 3.0, 2400)
    _light("fill", (4.5, -4.0, 0.5), 5.0, 350)
    _light("top", (0.5, 0.8, 5.0), 2.5, 450)
    world = bpy.data.worlds.new("world")
    world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.8, 0.8, 0.8, 1)
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.15
    bpy.context.scene.world = world
    cam = bpy.data.cameras.new("cam")
    cam.lens, cam.sensor_width, cam.sensor_fit = LENS_MM, 36.0, "HORIZONTAL"
    obj = bpy.data.objects.new("cam", cam)
    half = 18.0 / LENS_MM
    if shoe:
        target = np.array([0.04, 0.0, -0.06])
        yaw, el, dist = math.radians(32), math.radians(13), 1.0 / half
        loc = target + dist * np.array(
            [math.sin(yaw) * math.cos(el), -math.cos(yaw) * math.cos(el), math.sin(el)]
        )
    else:
        target, loc = np.array([0.0, 0.0, 0.0]), np.array([0.0, -1.0 / half, 0.0])
    obj.location = loc.tolist()
    obj.rotation_euler = _look(target - loc)
    bpy.context.collection.objects.link(obj)
    bpy.context.scene.camera = obj


def render(
    category: str, parts: list[Path], shoe: bool, out: Path, side: int, mask_side: int, samples: int
) -> None:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    for path in parts:
        build_part(path)
    studio(shoe)
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.render.resolution_x = scene.render.resolution_y = side
    scene.render.resolution_percentage = 100
    scene.cycles.samples = samples
    scene.cycles.use_adaptive_sampling = True
    scene.cycles.adaptive_threshold = 0.02
    scene.cycles.max_bounces, scene.cycles.diffuse_bounces, scene.cycles.glossy_bounces = 3, 1, 1
    scene.cycles.caustics_reflective = scene.cycles.caustics_refractive = False
    scene.cycles.transmission_bounces = scene.cycles.transparent_max_bounces = 0
    scene.cycles.seed = 1
    scene.cycles.use_denoising = False
    scene.cycles.filter_width = 1.2
    scene.render.threads_mode = "FIXED"
    scene.render.threads = 2
    scene.view_settings.view_transform = "Filmic"
    scene.view_settings.look = "Medium High Contrast"
    scene.view_settings.exposure = -1.0
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.color_depth = "16"
    scene.render.filepath = str(out / f"{category}.png")
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
    scene.cycles.samples = 8
    scene.cycles.use_adaptive_sampling = False
    scene.render.resolution_x = scene.render.resolution_y = mask_side
    scene.view_settings.view_transform, scene.view_settings.look = "Standard", "None"
    scene.view_settings.exposure = 0.0
    scene.render.dither_intensity = 0.0
    scene.render.image_settings.color_mode = "BW"
    scene.render.image_settings.color_depth = "8"
    scene.render.filepath = str(out / f"{category}_mask.png")
    bpy.ops.render.render(write_still=True)


def main() -> None:
    args = sys.argv[sys.argv.index("--") + 1 :]
    work, side, mask_side, samples = Path(args[0]), int(args[1]), int(args[2]), int(args[3])
    for category in args[4:]:
        parts = sorted(work.glob(f"{category}--*.npz"))
        shoe = (work / f"{category}.three-quarter").exists()
        render(category, parts, shoe, work, side, mask_side, samples)


main()
