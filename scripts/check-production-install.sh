#!/usr/bin/env bash
# A production install runs: the tracked sources, installed with `npm ci --omit=dev` (no dev tools
# at all), start with `npx shopstack start`, seed a new store and answer health and catalogue reads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
data="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
  rm -rf "$work" "$data"
}
trap cleanup EXIT

git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$work"
cd "$work"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
for tool in typescript eslint prettier autocannon; do
  if [ -e "node_modules/$tool" ]; then
    echo "production install holds the dev tool $tool" >&2
    exit 1
  fi
done

# In a process group of its own, as in a terminal: Ctrl-C or SIGTERM reaches npx and shopstack alike.
PORT=0 SHOPSTACK_DATA_DIR="$data" SHOPSTACK_SEED_PRODUCTS=20 LOG_LEVEL=warn \
  setsid npx --no-install shopstack start >"$work/start.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'listening on http://[^ ]*' "$work/start.log" | head -n 1 | cut -d' ' -f3 || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$url" ]; then
  echo "shopstack start did not come up after a production install:" >&2
  cat "$work/start.log" >&2
  exit 1
fi
node --input-type=module -e '
  const url = process.argv[1];
  const check = async (path, test) => {
    const res = await fetch(url + path);
    const body = await res.text();
    if (!res.ok || !test(body)) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
  };
  await check("/health/ready", (b) => JSON.parse(b).status === "pass");
  await check("/api/catalogue/products?limit=1", (b) => JSON.parse(b).items.length === 1);
  // The install built the web apps: the storefront renders on the server, the admin is served.
  await check("/", (b) => b.includes("<h1") && b.includes("ShopStack Demo Store"));
  await check("/admin", (b) => b.includes("<div id=\"root\""));
' "$url"
# npx does not pass signals on to what it runs, so the whole group gets them, as a terminal sends them.
kill -TERM -- "-$pid"
wait "$pid" || true
pid=""
for _ in $(seq 1 30); do
  node -e 'fetch(process.argv[1] + "/health/live").then(() => process.exit(1), () => process.exit(0))' "$url" && break
  sleep 1
done
if node -e 'fetch(process.argv[1] + "/health/live").then(() => process.exit(0), () => process.exit(1))' "$url"; then
  echo "shopstack kept serving after SIGTERM" >&2
  exit 1
fi
echo "Production install: npm ci --omit=dev, then npx shopstack start serves $url"
