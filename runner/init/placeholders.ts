/**
 * What init writes where the legacy store cannot tell: values that pass `cutover validate` (so
 * the plan can be reviewed, previewed and committed at once) and that can never reach a real
 * machine. Names end in `.invalid`, a top-level domain reserved never to resolve (RFC 2606):
 * a forgotten placeholder fails at its first use instead of reaching someone else's server.
 * Each is written with a `TODO(admin):` comment that says what belongs there.
 */
export const PLACEHOLDER = {
  workDir: 'D:\\cutover',
  legacyPool: 'gcpool.todo.invalid',
  legacyServer: 'gc01.todo.invalid',
  legacyInstance: 'sql01.todo.invalid\\GC',
  legacyDatabase: 'GroupChat',
  legacyBackupDirectory: '\\\\backup.todo.invalid\\GroupChatBackup',
  lookupAccount: 'sip:ocschat@todo.invalid',
  legacyFileStore: '\\\\fileserver.todo.invalid\\GroupChatFiles',
  targetPool: 'pchat.todo.invalid',
  targetServer: 'pc01.todo.invalid',
  targetInstance: 'sql02.todo.invalid\\PCHAT',
  targetDatabase: 'mgc',
  targetBackupDirectory: '\\\\backup.todo.invalid\\PersistentChatBackup',
  targetConnection: '${env:PCHAT_SQL}',
  targetFileStore: '\\\\fileserver.todo.invalid\\PersistentChatFiles',
  policy: 'Global',
} as const

/** The mark of every line the admin must act on; `grep -n 'TODO(admin)' plan.yaml` lists them. */
export const TODO_MARK = 'TODO(admin)'
export const TODO = `${TODO_MARK}:`
