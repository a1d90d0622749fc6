/**
 * The fake LINE / WhatsApp API in its own process for the binding bench: it stands in for a
 * remote service, so its request handling must not be billed to the hub's event loop. Prints its
 * URL as one JSON line on stdout, then serves until killed.
 */
import { startFakePlatform } from '../backend-sync/hub/webhooks/fakePlatform';

const platform = await startFakePlatform();
// Delivered messages would pile up in memory over a long bench: keep only the count.
setInterval(() => {
  platform.delivered.length = 0;
  platform.calls.length = 0;
}, 1000).unref();
process.stdout.write(JSON.stringify({ url: platform.url }) + '\n');
