// Runs graphql-http's GraphQL-over-HTTP server audit against the server at the URL given as the
// only argument (its /graphql endpoint), prints every result that is not ok and the counts, and
// exits 1 on any warning or error (2 when it could not run). Notices are reported but do not
// fail: the spec ranks them below its recommendations.
//
//   node scripts/audit/audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url, fetchFn: fetch });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status]++;
  if (r.status === 'ok') continue;
  let body = '';
  try {
    body = await r.response.text();
  } catch {
    body = '(body already read)';
  }
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}\n  reason: ${r.reason}\n  response: ${r.response.status} ${body.slice(0, 500)}`);
}
console.log(`graphql-http audit: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`);
process.exit(counts.warn + counts.error > 0 ? 1 : 0);
