# The component image: the Python runtime ("sailor") with the MWS component.
# The platform starts /home/node/sail.sh for a flow step and /home/node/serve.sh
# for service calls, as it does for the images of Node.js components.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ELASTICIO_COMPONENT_PATH=/home/node \
    MWS_SCHEMAS_DIR=/home/node/schemas

RUN groupadd --system --gid 1000 node \
 && useradd --system --uid 1000 --gid node --create-home --home-dir /home/node node

WORKDIR /home/node
COPY --chown=node:node . /home/node
RUN pip install --no-cache-dir '.[runtime]' \
 && install -m 0755 docker/sail.sh /home/node/sail.sh \
 && install -m 0755 docker/serve.sh /home/node/serve.sh

USER node
# CMD, not ENTRYPOINT: the platform runs /home/node/serve.sh <method> in the same image.
CMD ["/home/node/sail.sh"]
