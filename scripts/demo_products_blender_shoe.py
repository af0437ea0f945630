"""Blender side of the sneaker (used by scripts/demo_products_blender.py): photographic materials and
the soft studio light of the side-on shot.

The shoe is new, so nothing is dirty, but nothing is perfectly uniform either: the cotton canvas shows
its plain weave (about a millimetre a thread, with slubs and a little fuzz that catches the light at
grazing angles), the vulcanised rubber is a matte satin whose gloss and tone drift a little with tiny
pits, the laces are braided round cords, the eyelets polished nickel. Lengths are metres (the meshes'
object space is the world's); a wave texture's bands repeat every 2*pi / (20 * scale) units.
"""

from __future__ import annotations

import math

import bpy
from mathutils import Vector

SHOE_WEAVES = ("canvas", "rubber", "lace", "metal")
UPPER_UV_METRES = (0.20, 0.28, 1.0)
"""Metres per uv unit of the upper: around the shoe (its girth, roughly), along it."""


def _wave_scale(period_m: float) -> float:
    return 2 * math.pi / (20 * period_m)


class _Graph:
    def __init__(self, mat: bpy.types.Material) -> None:
        self.nodes, self.links = mat.node_tree.nodes, mat.node_tree.links

    def node(self, kind: str, **inputs) -> bpy.types.Node:  # noqa: ANN003
        n = self.nodes.new(kind)
        for name, value in inputs.items():
            if isinstance(value, bpy.types.NodeSocket):
                self.links.new(value, n.inputs[name])
            else:
                n.inputs[name].default_value = value
        return n

    def math(self, op: str, a, b=0.0):  # noqa: ANN001, ANN201 - sockets or numbers
        n = self.nodes.new("ShaderNodeMath")
        n.operation = op
        for i, v in enumerate((a, b)):
            if isinstance(v, bpy.types.NodeSocket):
                self.links.new(v, n.inputs[i])
            else:
                n.inputs[i].default_value = v
        return n.outputs[0]

    def noise(self, vector, scale: float, detail: float = 3.0, stretch=None):  # noqa: ANN001, ANN201
        if stretch is not None:
            m = self.nodes.new("ShaderNodeVectorMath")
            m.operation = "MULTIPLY"
            self.links.new(vector, m.inputs[0])
            m.inputs[1].default_value = stretch
            vector = m.outputs[0]
        n = self.node("ShaderNodeTexNoise", Vector=vector, Scale=scale, Detail=detail)
        return n.outputs["Fac"]

    def around(self, value, centre: float, spread: float):  # noqa: ANN001, ANN201
        """centre + spread * (value - 0.5) * 2: a 0..1 texture as a small variation around `centre`."""
        return self.math("ADD", self.math("MULTIPLY", self.math("SUBTRACT", value, 0.5), 2 * spread), centre)

    def tint(self, colour, factor):  # noqa: ANN001, ANN201
        mix = self.node("ShaderNodeMixRGB", Fac=1.0, Color1=colour, Color2=(1, 1, 1, 1))
        mix.blend_type = "MULTIPLY"
        self.links.new(factor, mix.inputs["Color2"])
        return mix.outputs["Color"]


def shoe_material(mat: bpy.types.Material, weave: str, colour: tuple, textured: bool) -> None:
    """Fill `mat`'s Principled BSDF (and its bump) for one of the sneaker's materials; `textured`: the
    upper, whose colour, bump and metal maps are already linked (the stitching)."""
    g = _Graph(mat)
    bsdf = g.nodes["Principled BSDF"]
    obj = g.node("ShaderNodeTexCoord").outputs["Object"]
    base = bsdf.inputs["Base Color"].links[0].from_socket if textured else None
    base = base or g.node("ShaderNodeRGB").outputs[0]
    if not textured:
        base.node.outputs[0].default_value = (*colour, 1.0)
    height_in = bsdf.inputs["Normal"].links[0].from_node if bsdf.inputs["Normal"].is_linked else None
    drift = g.noise(obj, 40.0, 2.0)  # a few centimetres: tone and gloss drift
    if weave == "canvas":
        uv = g.node(
            "ShaderNodeMapping", Vector=g.node("ShaderNodeTexCoord").outputs["UV"], Scale=UPPER_UV_METRES
        )
        warp = g.node("ShaderNodeTexWave", Vector=uv.outputs[0], Scale=_wave_scale(0.00105), Distortion=1.2)
        weft = g.node("ShaderNodeTexWave", Vector=uv.outputs[0], Scale=_wave_scale(0.00095), Distortion=1.2)
        weft.bands_direction = "Y"
        for w in (warp, weft):
            w.inputs["Detail Scale"].default_value = 3.0
        weave_h = g.math("MULTIPLY", warp.outputs["Fac"], weft.outputs["Fac"])
        slub = g.noise(uv.outputs[0], 120.0, 2.0, stretch=(1.0, 12.0, 1.0))
        fuzz = g.noise(uv.outputs[0], 900.0, 4.0)
        shade = g.math("MULTIPLY", g.around(weave_h, 0.97, 0.09), g.around(slub, 1.0, 0.07))
        shade = g.math("MULTIPLY", shade, g.around(drift, 1.0, 0.05))
        colour_out = g.tint(base, shade)
        rough = g.around(
            g.math("ADD", g.math("MULTIPLY", fuzz, 0.5), g.math("MULTIPLY", drift, 0.5)), 0.88, 0.08
        )
        height = g.math("ADD", g.math("MULTIPLY", weave_h, 1.0), g.math("MULTIPLY", slub, 0.35))
        bump_dist, sheen, spec = 0.00035, 0.7, 0.3
    elif weave == "lace":
        uvs = g.node("ShaderNodeSeparateXYZ", Vector=g.node("ShaderNodeTexCoord").outputs["UV"])
        around, along = uvs.outputs["X"], uvs.outputs["Y"]
        strands = []
        for sign in (1, -1):  # a braid: strands spiralling both ways round the cord
            phase = g.math(
                "ADD", g.math("MULTIPLY", around, 4.0 * sign), g.math("MULTIPLY", along, 1 / 0.0026)
            )
            strands.append(g.math("ABSOLUTE", g.math("SINE", g.math("MULTIPLY", phase, math.pi))))
        braid = g.math("MAXIMUM", *strands)
        colour_out = g.tint(base, g.math("MULTIPLY", g.around(braid, 0.95, 0.07), g.around(drift, 1.0, 0.03)))
        rough, height = g.around(g.noise(obj, 800.0), 0.82, 0.06), braid
        bump_dist, sheen, spec = 0.0004, 0.8, 0.3
    elif weave == "metal":
        colour_out = g.node("ShaderNodeRGB").outputs[0]
        colour_out.default_value = (0.78, 0.77, 0.74, 1.0)
        rough, height = g.around(g.noise(obj, 300.0), 0.2, 0.05), g.noise(obj, 3000.0)
        bump_dist, sheen, spec = 0.00003, 0.0, 0.5
        bsdf.inputs["Metallic"].default_value = 1.0
    else:  # vulcanised rubber: matte satin, a faint orange-peel and a few tiny pits
        peel = g.noise(obj, 2500.0, 3.0)
        pits = g.math("GREATER_THAN", g.noise(obj, 1400.0, 1.0), 0.79)
        colour_out = g.tint(base, g.math("MULTIPLY", g.around(drift, 1.0, 0.035), g.around(peel, 1.0, 0.015)))
        rough = g.around(
            g.math("ADD", g.math("MULTIPLY", drift, 0.7), g.math("MULTIPLY", peel, 0.3)), 0.5, 0.08
        )
        height = g.math("SUBTRACT", g.math("MULTIPLY", peel, 0.25), g.math("MULTIPLY", pits, 0.3))
        bump_dist, sheen, spec = 0.00012, 0.0, 0.42
    g.links.new(colour_out, bsdf.inputs["Base Color"])
    if weave != "metal":
        g.links.new(rough, bsdf.inputs["Roughness"])
    bsdf.inputs["Sheen"].default_value = sheen
    bsdf.inputs["Sheen Tint"].default_value = 0.4
    bsdf.inputs["Specular"].default_value = spec
    if height_in is not None and textured:  # the painted stitching's bump, on top of the weave's
        prev = height_in.inputs["Height"].links[0].from_socket
        height = g.math(
            "ADD", prev, g.math("MULTIPLY", height, bump_dist / height_in.inputs["Distance"].default_value)
        )
        g.links.new(height, height_in.inputs["Height"])
        return
    bump = g.node("ShaderNodeBump", Height=height, Distance=bump_dist)
    g.links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])


def soft_key(aim: tuple[float, float, float]) -> list[bpy.types.Object]:
    """A large softbox up front left (the key) and a broad overhead strip (the gentle sheen along the
    toe cap and the sole's top); no fill from the right, so the floor past the toe stays open and the
    shadow falls under the base, as on a sweep. Returns the lights (hidden in the mask pass)."""
    out = []
    for name, loc, size, power in (
        ("key", (-1.1, -1.0, 1.1), (1.8, 1.4), 70.0),
        ("top", (0.05, 0.05, 0.95), (1.2, 0.5), 5.0),
    ):
        light = bpy.data.lights.new(name, "AREA")
        light.shape = "RECTANGLE"
        light.size, light.size_y = size
        light.energy = power
        obj = bpy.data.objects.new(name, light)
        obj.location = loc
        obj.rotation_euler = (Vector(aim) - obj.location).to_track_quat("-Z", "Y").to_euler()
        bpy.context.collection.objects.link(obj)
        out.append(obj)
    return out
