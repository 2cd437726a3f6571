/**
 * The Lua scripts that change or read a context in Redis, each one atomic step.
 *
 * Large values' bytes do not go through a script (a script blocks Redis while
 * it runs): they are written first, each under a fresh blob key that expires
 * unless a commit adopts it, so a bridge that dies between the two leaves
 * nothing behind for long. Small ones (most: strings, numbers, latents of a
 * thumbnail) travel with the commit, which saves a round trip and, with
 * appendfsync always, a sync of Redis's file per commit. The commit checks the
 * run's receipt (a run id committed once is never committed again: it answers
 * with what it committed the first time), bumps the context's version, points
 * each key at its new blob, lets the replaced blobs expire after a grace period
 * (runs that began before may still read them), notes each key in the change
 * log (so a bridge catches up by reading what changed, not everything),
 * records the run, and, for a sweep item, marks the item done, counts it and
 * ends the sweep with its last item — all or nothing.
 */

/** Values up to this size go inside the commit script; larger ones are written before it. */
export const INLINE_VALUE_BYTES = 64 * 1024

/** Keys the change log keeps; a bridge further behind reads the whole context again. */
const KEPT_CHANGES = 10_000

/** Note `key` changed at `version` in the change log (KEYS[1] info, `log` the log's key), trimming it. */
const NOTE_CHANGE = `
local function note_change(info, log, key, version)
  redis.call('ZADD', log, version, key)
  local size = redis.call('ZCARD', log)
  if size > ${KEPT_CHANGES} then
    local cut = redis.call('ZRANGE', log, size - ${KEPT_CHANGES} - 1, size - ${KEPT_CHANGES} - 1, 'WITHSCORES')
    redis.call('ZREMRANGEBYRANK', log, 0, size - ${KEPT_CHANGES} - 1)
    redis.call('HSET', info, 'floor', cut[2])
  end
end
`

/**
 * KEYS: info, meta, receipts, runs, changes, [sweep items, sweep, sweep's running items]
 * ARGV: blobPrefix, runId ('' for a plain save), now, graceMs, runJson, n,
 *       n × (key, metaJson, blobId, bytes or '' when the blob was written before), [item index, item json, channel, item message, sweep-ended message]
 * Returns {1, receiptJson, version} when it committed, {0, receiptJson, version} when the run had already.
 */
export const COMMIT = `${NOTE_CHANGE}
local runId = ARGV[2]
if runId ~= '' then
  local prior = redis.call('HGET', KEYS[3], runId)
  if prior then return {0, prior, tonumber(redis.call('HGET', KEYS[1], 'version'))} end
end
local n = tonumber(ARGV[6])
-- A run that wrote nothing still moves the version (its run record changed).
local top = redis.call('HINCRBY', KEYS[1], 'version', math.max(n, 1))
local metas = {}
for i = 1, n do
  local at = 6 + (i - 1) * 4
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
  if ARGV[at + 4] ~= '' then redis.call('SET', ARGV[1] .. blob, ARGV[at + 4]) else redis.call('PERSIST', ARGV[1] .. blob) end
  local text = cjson.encode(meta)
  redis.call('HSET', KEYS[2], key, text)
  note_change(KEYS[1], KEYS[5], key, top - n + i)
  metas[i] = text
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
local receipt = '[' .. table.concat(metas, ',') .. ']'
if runId ~= '' then
  redis.call('HSET', KEYS[3], runId, receipt)
  redis.call('LPUSH', KEYS[4], ARGV[5])
  redis.call('LTRIM', KEYS[4], 0, 199)
  redis.call('HINCRBY', KEYS[1], 'runs', 1)
end
if KEYS[6] then
  local at = 6 + n * 4
  redis.call('HSET', KEYS[6], ARGV[at + 1], ARGV[at + 2])
  local done = redis.call('HINCRBY', KEYS[7], 'done', 1)
  redis.call('HDEL', KEYS[8], ARGV[at + 1])
  -- Told from inside the step, so no bridge can say the sweep ended before it hears of this item.
  redis.call('PUBLISH', ARGV[at + 3], ARGV[at + 4])
  local s = redis.call('HMGET', KEYS[7], 'status', 'total', 'failed')
  if s[1] == 'running' and done + tonumber(s[3] or 0) >= tonumber(s[2]) then
    redis.call('HSET', KEYS[7], 'status', 'finished', 'finishedAt', ARGV[3])
    redis.call('PUBLISH', ARGV[at + 3], ARGV[at + 5])
  end
end
return {1, receipt, top}
`

/**
 * KEYS: info, meta, changes
 * ARGV: blobPrefix, key, graceMs, now
 * Returns 1 when the key was there.
 */
export const DELETE = `${NOTE_CHANGE}
local old = redis.call('HGET', KEYS[2], ARGV[2])
if not old then return 0 end
local blob = cjson.decode(old)['file']
if blob then redis.call('PEXPIRE', ARGV[1] .. blob, ARGV[3]) end
redis.call('HDEL', KEYS[2], ARGV[2])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
note_change(KEYS[1], KEYS[3], ARGV[2], version)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
return 1
`

/**
 * A new name for a context. KEYS: info. ARGV: the name, now (ISO).
 * Moves the version so every bridge's copy reads the name at its next look.
 * Returns 0 when the context is gone.
 */
export const RENAME = `
if not redis.call('HGET', KEYS[1], 'version') then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'updatedAt', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
`

/**
 * What changed since a version, as one consistent read.
 * KEYS: info, meta, changes, runs. ARGV: the version known (-1: none), runs known.
 * Returns {-1} when the context is gone; {version} when nothing changed;
 * {version, 'all', [key, meta, ...], name, runsTotal, [run, ...]} or
 * {version, 'since', [key, meta or '' when deleted, ...], name, runsTotal, [new runs, newest first]}.
 */
export const READ_SINCE = `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if version < 0 then return {-1} end
local since = tonumber(ARGV[1])
if version == since then return {version} end
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '0')
local name = redis.call('HGET', KEYS[1], 'name') or false
local runsTotal = tonumber(redis.call('HGET', KEYS[1], 'runs') or '0')
local known = tonumber(ARGV[2])
local fresh = runsTotal - known
if since < 0 or since < floor or fresh < 0 then
  return {version, 'all', redis.call('HGETALL', KEYS[2]), name, runsTotal, redis.call('LRANGE', KEYS[4], 0, 199)}
end
local changed = {}
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. since, '+inf')) do
  changed[#changed + 1] = key
  changed[#changed + 1] = redis.call('HGET', KEYS[2], key) or ''
end
local runs = {}
if fresh > 0 then runs = redis.call('LRANGE', KEYS[4], 0, math.min(fresh, 200) - 1) end
return {version, 'since', changed, name, runsTotal, runs}
`
