# Image for the API and the worker (docker-compose runs both from it, with different commands).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --no-save --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
USER node
# Overridden per service in docker-compose.yml.
CMD ["node_modules/.bin/tsx", "api/main.ts"]
