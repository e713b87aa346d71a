"""Visual layer: altair chart builders and their theme (`charts`), and offline SVG rendering (`svg`)."""
