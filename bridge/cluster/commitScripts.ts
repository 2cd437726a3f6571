/**
 * The Lua scripts that change a context in Redis, each one atomic step.
 *
 * Values' bytes never go through a script (a script blocks Redis while it
 * runs): they are written first, each under a fresh blob key that expires
 * unless a commit adopts it, so a bridge that dies between the two leaves
 * nothing behind for long. The commit then checks the run's receipt (a run
 * id committed once is never committed again: it answers with what it
 * committed the first time), bumps the context's version, points each key at
 * its new blob, lets the replaced blobs expire after a grace period (runs
 * that began before may still read them), records the run, and, for a sweep
 * item, marks the item done and counts it — all or nothing.
 */

/**
 * KEYS: info, meta, receipts, runs, [sweep items, sweep, sweep's running items]
 * ARGV: blobPrefix, runId ('' for a plain save), now, graceMs, runJson, n,
 *       n × (key, metaJson, blobId), [item index, item json, channel, message]
 * Returns {1, receiptJson} when it committed, {0, receiptJson} when the run had already.
 */
export const COMMIT = `
local runId = ARGV[2]
if runId ~= '' then
  local prior = redis.call('HGET', KEYS[3], runId)
  if prior then return {0, prior} end
end
local n = tonumber(ARGV[6])
local top = redis.call('HINCRBY', KEYS[1], 'version', n)
local metas = {}
for i = 1, n do
  local at = 6 + (i - 1) * 3
  local key = ARGV[at + 1]
  local meta = cjson.decode(ARGV[at + 2])
  local blob = ARGV[at + 3]
  meta['version'] = top - n + i
  meta['updatedAt'] = ARGV[3]
  local old = redis.call('HGET', KEYS[2], key)
  if old then
    local previous = cjson.decode(old)['file']
    if previous and previous ~= blob then redis.call('PEXPIRE', ARGV[1] .. previous, ARGV[4]) end
  end
  redis.call('PERSIST', ARGV[1] .. blob)
  local text = cjson.encode(meta)
  redis.call('HSET', KEYS[2], key, text)
  metas[i] = text
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
local receipt = '[' .. table.concat(metas, ',') .. ']'
if runId ~= '' then
  redis.call('HSET', KEYS[3], runId, receipt)
  redis.call('LPUSH', KEYS[4], ARGV[5])
  redis.call('LTRIM', KEYS[4], 0, 199)
end
if KEYS[5] then
  local at = 6 + n * 3
  redis.call('HSET', KEYS[5], ARGV[at + 1], ARGV[at + 2])
  redis.call('HINCRBY', KEYS[6], 'done', 1)
  redis.call('HDEL', KEYS[7], ARGV[at + 1])
  -- Told from inside the step, so no bridge can say the sweep ended before it hears of this item.
  redis.call('PUBLISH', ARGV[at + 3], ARGV[at + 4])
end
return {1, receipt}
`

/**
 * KEYS: info, meta
 * ARGV: blobPrefix, key, graceMs, now
 * Returns 1 when the key was there.
 */
export const DELETE = `
local old = redis.call('HGET', KEYS[2], ARGV[2])
if not old then return 0 end
local blob = cjson.decode(old)['file']
if blob then redis.call('PEXPIRE', ARGV[1] .. blob, ARGV[3]) end
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
return 1
`
