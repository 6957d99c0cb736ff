# Cocon application image: Daphne serving config.asgi:application on port 8000.
# The same image runs the web workers and the one-shot `migrate` job
# (docker-compose.yml). Configuration is read from the environment only:
# docs/configuration.md lists every variable.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# PDF exports (WeasyPrint) lay text out with Pango; DejaVu is the fallback font
# (Marianne ships with django-dsfr's static files).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that code changes do not reinstall them. Every
# requirement ships as a wheel (psycopg[binary] bundles libpq): no compiler.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Collect static files once, with the hashed manifest whitenoise serves in
# production. Settings refuse to load without SECRET_KEY when DEBUG is off:
# this throw-away key exists only for this build step, not in the image's
# environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret STATIC_MANIFEST=true \
    python manage.py collectstatic --noinput -v 0

# Run as an unprivileged user that cannot write the code or the static files.
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin cocon
USER cocon

# Must match how the static files were collected above.
ENV STATIC_MANIFEST=true

EXPOSE 8000

# --proxy-headers: take the client address and scheme from X-Forwarded-For /
# X-Forwarded-Proto, set by the reverse proxy (deploy/nginx.conf). Only safe
# when port 8000 is reachable from the proxy alone.
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--websocket-max-message-size", "1048576", "--proxy-headers", "config.asgi:application"]
