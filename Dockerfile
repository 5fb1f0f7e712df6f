# Image for the API and the worker (docker-compose runs both from it, with different commands).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Chinese fonts for PDF letters (free; government installs may set RECTIFY_FONT_* to their own).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-save --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
USER node
# Overridden per service in docker-compose.yml.
CMD ["node_modules/.bin/tsx", "api/main.ts"]
