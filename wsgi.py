"""WSGI entry point: ``gunicorn -c service/api/gunicorn_conf.py wsgi:app``."""

from service.api.app import create_app

app = create_app()
