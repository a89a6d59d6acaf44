# One replica of the app. docker-compose.yml runs several behind nginx; `make serve REPLICAS=N` does the same on
# one machine without containers. (No container runtime exists on the development machines: this file is
# written to the app's requirements but has not been built there.)
FROM python:3.11-slim

WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 SAE_PLAYGROUND_CACHE=/cache
# Two malloc heaps for all the script threads, as every way of starting the app sets (deploy/serve.py SERVER_ENV).
ENV MALLOC_ARENA_MAX=2
# The CPU build of torch: the default index would fetch the CUDA build, gigabytes the app never uses.
COPY requirements.txt .
RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu -r requirements.txt

COPY app.py ./
COPY .streamlit ./.streamlit
COPY assets ./assets
COPY components ./components
COPY pages ./pages
COPY sae_core ./sae_core
COPY app_core ./app_core
# Streamlit serves components/web/ (the interactive figure's scripts and plotly.js) only for an installed
# distribution's manifest: pyproject.toml declares it, installed editable so the copied tree is what it serves.
COPY pyproject.toml ./
RUN pip install --no-cache-dir --no-deps -e .

# Frontiers computed by any replica are read by all: mount one volume at /cache for every replica.
VOLUME ["/cache"]
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=3)"
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
