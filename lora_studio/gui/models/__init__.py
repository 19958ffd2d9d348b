"""The Models section: the models on this machine, the catalogue, downloads."""
