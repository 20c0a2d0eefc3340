# One image for the web process, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY community ./community
COPY circles ./circles
COPY mentoring ./mentoring
COPY content ./content
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings to load; the key here is a build-time placeholder, never used at run time.
RUN SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only-placeholder \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home roundtable && mkdir -p /media && chown roundtable:roundtable /media
USER roundtable
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
