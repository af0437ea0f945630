"""The scene a product is staged in: a camera, a floor and a backdrop (or a seamless sweep), one key
light plus ambient. `camera` holds the geometry, `render` draws the styles as materials in it,
`shadows` casts the product's shadows onto its floor, `placement` puts the product where the camera
stands it, `harmony` matches the scene to the product, and `choice` decides which scene is used."""
