"""WSGI entry point for gunicorn (`homestretch run`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestretch.settings")
application = get_wsgi_application()
