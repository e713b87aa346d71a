"""One module of ipywidgets apps per course module; logic is tested in plain pytest by setting `.value`."""
