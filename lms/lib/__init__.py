"""Small helpers every app shares: no models, no imports from the apps above."""
