/** The fixed names of the lab emulator's world; plans/lab.yaml is written against them. */
export const LAB_NAMES = {
  sipDomain: 'lab.cutover.test',
  legacyPool: 'gcpool.lab.cutover.test',
  legacyServer: 'gc01.lab.cutover.test',
  legacyServices: ['GroupChatChannel', 'GroupChatLookup', 'GroupChatCompliance'],
  targetPool: 'pchat.lab.cutover.test',
  targetServer: 'pc01.lab.cutover.test',
  targetService: 'RTCCHAT',
  /** A lab-only service that depends on targetService: Stop-CsWindowsService stops it too, and
   * Start-CsWindowsService does not start it again (docs/microsoft-facts.md#facts-from-the-review). */
  targetDependentService: 'CutoverLabChatDependent',
  legacyInstance: 'sql01.lab.cutover.test\\GC',
  legacyDatabase: 'GroupChat',
  targetInstance: 'sql02.lab.cutover.test\\PCHAT',
  targetDatabase: 'mgc',
  lookupAccount: 'sip:ocschat@lab.cutover.test',
  registrarPool: 'fe01.lab.cutover.test',
  policy: 'Global',
  /** Relative to the lab folder, like every path the lab emulator accepts. */
  legacyStoreFile: 'legacy.sqlite',
  targetStoreFile: 'pchat.sqlite',
  legacyFileStore: 'files/legacy',
  targetFileStore: 'files/pchat',
  worldFile: 'lab.json',
  /** The cutoff the seeded messages straddle. */
  cutoff: '2019-01-01',
  /** The top-level category holding the one room whose flattened name is too long. */
  archiveCategory: 'Archive',
  /** The second legacy Group Chat pool `cutover lab init --legacy-pools 2` adds, to merge into the
   * same Persistent Chat pool: some of its category and room names are the first pool's, on purpose. */
  second: {
    legacyPool: 'gcpool2.lab.cutover.test',
    legacyServer: 'gc02.lab.cutover.test',
    legacyInstance: 'sql03.lab.cutover.test\\GC',
    legacyDatabase: 'GroupChat2',
    lookupAccount: 'sip:ocschat2@lab.cutover.test',
    legacyStoreFile: 'legacy2.sqlite',
    legacyFileStore: 'files/legacy2',
  },
} as const
