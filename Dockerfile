# Image for the API and the worker (docker-compose runs both from it, with different commands).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Chinese fonts for PDF letters (free; government installs may set RECTIFY_FONT_* to their own).
# The Fandol fonts (仿宋 body, 小标宋 title, 黑体 / 楷体 headings) come first in each font chain:
# scripts/provision-fonts.sh takes them out of Debian's texlive-lang-chinese .deb, without TeX Live.
ENV RECTIFY_CACHE_DIR=/opt/rectify-cache
COPY scripts/provision-fonts.sh /tmp/provision-fonts.sh
RUN apt-get update && apt-get install -y --no-install-recommends fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei \
 && bash /tmp/provision-fonts.sh && test -s /opt/rectify-cache/fonts/fandol/FandolFang-Regular.otf \
 && rm -rf /var/lib/apt/lists/* /tmp/provision-fonts.sh
COPY package.json package-lock.json ./
RUN npm install --no-save --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
USER node
# Overridden per service in docker-compose.yml.
CMD ["node_modules/.bin/tsx", "api/main.ts"]
