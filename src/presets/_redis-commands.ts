/**
 * Redis data commands shared by the `ioredis` and `redis` presets, in node-redis'
 * camelCase spelling. ioredis spells them in lower case (`hgetall`); node-redis also
 * offers the upper-case command name (`HGETALL`). Commands that touch no data (PING,
 * AUTH, CLIENT …, pub/sub) are deliberately absent: they are not accesses.
 */
export const redisReadCommands: readonly string[] = [
  // strings and keys
  'get', 'mGet', 'getRange', 'strLen', 'getBit', 'bitCount', 'bitPos', 'lcs', 'exists', 'ttl', 'pTTL',
  'expireTime', 'pExpireTime', 'type', 'keys', 'scan', 'randomKey', 'dbSize', 'dump', 'touch',
  'objectEncoding', 'objectFreq', 'objectIdleTime', 'memoryUsage', 'sortRo',
  // hashes
  'hGet', 'hmGet', 'hGetAll', 'hKeys', 'hVals', 'hLen', 'hExists', 'hStrLen', 'hScan', 'hRandField', 'hTTL', 'hpTTL',
  // sets
  'sMembers', 'sIsMember', 'smIsMember', 'sCard', 'sRandMember', 'sScan', 'sUnion', 'sInter', 'sDiff', 'sInterCard',
  // lists
  'lRange', 'lLen', 'lIndex', 'lPos',
  // sorted sets
  'zRange', 'zRangeByScore', 'zRangeByLex', 'zRevRange', 'zRevRangeByScore', 'zRevRangeByLex', 'zScore',
  'zmScore', 'zRank', 'zRevRank', 'zCard', 'zCount', 'zLexCount', 'zScan', 'zRandMember', 'zUnion', 'zInter',
  'zDiff', 'zInterCard',
  // streams, hyperloglog, geo
  'xRange', 'xRevRange', 'xLen', 'xRead', 'xInfoStream', 'xPending', 'pfCount', 'geoPos', 'geoDist', 'geoHash',
  'geoSearch', 'geoRadiusRo', 'geoRadiusByMemberRo',
  // read-only scripts
  'evalRo', 'evalShaRo', 'fCallRo',
];

export const redisWriteCommands: readonly string[] = [
  // strings and keys
  'set', 'setEx', 'pSetEx', 'setNX', 'setRange', 'mSet', 'mSetNX', 'getSet', 'getDel', 'getEx', 'append',
  'incr', 'incrBy', 'incrByFloat', 'decr', 'decrBy', 'setBit', 'bitOp', 'bitField', 'del', 'unlink',
  'expire', 'pExpire', 'expireAt', 'pExpireAt', 'persist', 'rename', 'renameNX', 'copy', 'move', 'restore',
  'sort', 'sortStore', 'flushDb', 'flushAll',
  // hashes
  'hSet', 'hSetNX', 'hmSet', 'hDel', 'hIncrBy', 'hIncrByFloat', 'hExpire', 'hpExpire', 'hPersist', 'hGetDel',
  'hGetEx', 'hSetEx',
  // sets
  'sAdd', 'sRem', 'sPop', 'sMove', 'sUnionStore', 'sInterStore', 'sDiffStore',
  // lists
  'lPush', 'rPush', 'lPushX', 'rPushX', 'lPop', 'rPop', 'lSet', 'lRem', 'lTrim', 'lInsert', 'lMove', 'rPopLPush',
  'blPop', 'brPop', 'blMove', 'brPopLPush', 'lmPop', 'blmPop',
  // sorted sets
  'zAdd', 'zRem', 'zIncrBy', 'zRemRangeByScore', 'zRemRangeByRank', 'zRemRangeByLex', 'zPopMin', 'zPopMax',
  'bzPopMin', 'bzPopMax', 'zmPop', 'bzmPop', 'zRangeStore', 'zUnionStore', 'zInterStore', 'zDiffStore',
  // streams, hyperloglog, geo
  'xAdd', 'xDel', 'xTrim', 'xAck', 'xClaim', 'xAutoClaim', 'xGroupCreate', 'xReadGroup', 'pfAdd', 'pfMerge',
  'geoAdd', 'geoSearchStore', 'geoRadius', 'geoRadiusByMember',
  // scripts and functions may write: conservative
  'eval', 'evalSha', 'fCall',
];
