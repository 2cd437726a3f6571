/**
 * A sweep's record in Redis changes by these scripts, each one atomic step
 * (an item's commit is in COMMIT, with its outputs). An item is counted once,
 * done or failed, whichever bridge gets there and however often it is tried.
 */

/**
 * An attempt begins, if there is anything to do, in one step.
 * KEYS: sweep, items, running, receipts (the master's).
 * ARGV: index, item id (its receipt), bridge, now, the record of a pending item (json).
 * Returns {'stopped', status} when the sweep is not running; {'committed'} when the item
 * committed already (its bridge stopped before BullMQ heard); {'finished'} when it failed
 * for good; {'wait'} when the sweep's concurrency is taken up by its other items (an item
 * taken over from a bridge that stopped still holds its place and goes on); else
 * {'started', record json}.
 */
export const START_ITEM = `
local s = redis.call('HMGET', KEYS[1], 'status', 'concurrency')
local status = s[1]
if status ~= 'running' then return {'stopped', status or 'gone'} end
if redis.call('HEXISTS', KEYS[4], ARGV[2]) == 1 then return {'committed'} end
local old = redis.call('HGET', KEYS[2], ARGV[1])
local record = cjson.decode(old or ARGV[5])
if record['status'] == 'done' or record['status'] == 'failed' then return {'finished'} end
if s[2] and redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 and redis.call('HLEN', KEYS[3]) >= tonumber(s[2]) then
  return {'wait'}
end
record['status'] = 'running'
record['attempts'] = (record['attempts'] or 0) + 1
record['server'] = ARGV[3]
record['startedAt'] = ARGV[4]
local text = cjson.encode(record)
redis.call('HSET', KEYS[2], ARGV[1], text)
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
return {'started', text}
`

/**
 * An attempt ended without a commit: back to pending (to be tried again) or
 * failed for good (counted once, and told). KEYS: items, running, sweep.
 * ARGV: index, record json, final (1/0), channel, message.
 */
export const END_ATTEMPT = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local status = cjson.decode(old)['status']
  if status == 'done' or status == 'failed' then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] == '1' then
  redis.call('HINCRBY', KEYS[3], 'failed', 1)
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return 1
`

/**
 * The sweep is over once every item is done or failed. KEYS: sweep.
 * ARGV: now, channel, message. Returns 1 the one time it ends it (and tells).
 */
export const FINISH_IF_DONE = `
local s = redis.call('HMGET', KEYS[1], 'status', 'total', 'done', 'failed')
if s[1] ~= 'running' then return 0 end
if tonumber(s[3] or 0) + tonumber(s[4] or 0) < tonumber(s[2]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'finished', 'finishedAt', ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`
