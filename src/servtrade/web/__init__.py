"""Web interface: FastAPI app, REST API and dashboard."""
