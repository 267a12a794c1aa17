"""WSGI entry point: ``gunicorn -c service/gunicorn_conf.py wsgi:app``."""

from service.app import create_app

app = create_app()
