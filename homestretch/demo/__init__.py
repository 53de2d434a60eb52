"""Demo data that looks like a real IT recruiting agency (see generator.py)."""
