/**
 * The words the lab emulator's generator builds names and messages from, including the trouble
 * a real Group Chat store holds: the four quote characters PowerShell treats like ', `$(...)`,
 * backticks, `;`, `|`, `#`, `<#`, and non-ASCII scripts.
 */
import { LAB_NAMES } from './lab-names.js'

export interface FixedRoom {
  readonly name: string
  readonly invite?: 0 | 1 | null
  readonly disabled?: boolean
  readonly auditorium?: boolean
  readonly visibility?: 2 | 3 | 6
  readonly description?: string
  /** Room that gets a few files in the legacy file store. */
  readonly files?: boolean
}

export interface FixedCategory {
  readonly name: string
  readonly invite: 0 | 1
  readonly description?: string
  readonly children?: readonly FixedCategory[]
  readonly rooms?: readonly FixedRoom[]
}

/** The one room whose flattened name (parent names + own name) is over 256 characters. */
export const LONG_CATEGORY_NAME = 'Projects from before the 2012 reorganisation of the Contoso, Litware and Fabrikam engineering, sales and support divisions, kept for audits'
export const LONG_ROOM_NAME = 'Weekly status of the joint Contoso and Fabrikam integration programme (phase two), with minutes, decisions and actions'

export const INVITATION_CONFLICT_ROOM = 'Deals ‚Q4‛ – invitations on'

/** Fixed top-level categories, always seeded whatever the sizes. */
export const FIXED_TREE: readonly FixedCategory[] = [
  {
    name: 'Engineering',
    invite: 1,
    description: 'Engineering rooms; managers here are set on the top-level category',
    children: [
      {
        name: 'Build',
        invite: 1,
        children: [
          {
            name: 'Nightly ‘core’ builds',
            invite: 1,
            children: [{ name: 'Zürich lab', invite: 1, rooms: [{ name: 'Gerät-Tests 東京 (Ελληνικά edition)', visibility: 3 }] }],
          },
        ],
        rooms: [{ name: 'Release train', files: true }],
      },
    ],
    rooms: [
      { name: 'Code review ‘daily’', visibility: 3, files: true },
      { name: 'All-hands ‘town hall’', auditorium: true, description: 'Auditorium: presenters speak, members listen' },
    ],
  },
  {
    name: 'Sales',
    invite: 0,
    rooms: [{ name: INVITATION_CONFLICT_ROOM, invite: 1, visibility: 2 }, { name: 'Pipeline review', visibility: 3 }],
  },
  {
    name: 'O\'Brien’s ‘Team’',
    invite: 1,
    rooms: [{ name: 'Don’t panic' }, { name: 'It\'s \'quoted\' ‚low‛ ‛reversed‛', visibility: 2, files: true }],
  },
  {
    name: 'Ops $(Get-Date) `whoami`; rm | # <# x #>',
    invite: 0,
    rooms: [
      { name: '$(Get-Date) status' },
      { name: 'back`tick; pipe | hash # <#comment#>', auditorium: true },
      { name: 'Decommissioned ‘old’ room', disabled: true },
    ],
  },
  {
    name: '東京 オフィス',
    invite: 1,
    children: [{ name: 'Ελληνικά', invite: 1, rooms: [{ name: 'Zürich Süd — Grüße', files: true }] }],
    rooms: [{ name: '東京 週次ミーティング' }],
  },
  {
    name: LAB_NAMES.archiveCategory,
    invite: 0,
    description: 'Left out of the migration (export: false)',
    children: [{ name: LONG_CATEGORY_NAME, invite: 0, rooms: [{ name: LONG_ROOM_NAME, visibility: 3 }] }],
    rooms: [{ name: 'Old announcements' }],
  },
]

/** The second legacy pool's categories and rooms (`lab init --legacy-pools 2`). Engineering,
 * Engineering/Build and Sales, and the rooms Engineering/Code review ‘daily’,
 * Engineering/Build/Release train and Sales/Pipeline review, have the first pool's names: imported
 * into the same Persistent Chat pool, they would overwrite the first pool's unless renamed first. */
export const SECOND_TREE: readonly FixedCategory[] = [
  {
    name: 'Engineering',
    invite: 1,
    description: 'EMEA engineering',
    children: [{ name: 'Build', invite: 1, rooms: [{ name: 'Release train', files: true }, { name: 'Build farm Köln' }] }],
    rooms: [{ name: 'Code review ‘daily’', visibility: 3 }, { name: 'Stand-up EMEA' }],
  },
  {
    name: 'Sales',
    invite: 0,
    rooms: [{ name: 'Pipeline review', visibility: 3 }, { name: 'Deals EMEA ‘Q4’', visibility: 2 }],
  },
  {
    name: 'EMEA',
    invite: 1,
    rooms: [{ name: 'Office Köln' }, { name: 'Office São Paulo', auditorium: true }, { name: 'Closed office Zürich', disabled: true }],
  },
]

export const DEPARTMENTS = ['Finance', 'Human Resources', 'Legal', 'Marketing', 'Support', 'Research', 'Facilities', 'Security', 'Product', 'Design', 'Quality', 'Logistics'] as const
export const SUBCATEGORIES = ['Projects', 'Teams', 'Regional', 'Vendors', 'Releases', 'Incidents', 'Planning', 'Announcements', 'Zürich', 'São Paulo', 'Köln'] as const

export const ROOM_WORDS = ['Weekly', 'Daily', 'Café', 'Grüße', 'Q3', 'Partner', 'Customer', 'O\'Reilly’s', 'Incident', 'Ops; status |', 'Cost $(estimate)', 'Design', 'Müller', 'Ελληνικά', '東京', 'Backlog #'] as const
export const ROOM_NOUNS = ['sync', 'standup', 'corner', 'review', 'planning', 'chat', 'war room', 'retro', 'help desk', 'announcements'] as const

export const FIRST_NAMES = ['Anna', 'Zoë', 'Jürgen', 'Siobhán', 'Kenji', 'Dimitra', 'Luis', 'Amélie', 'Noah', 'Fatima', 'Björn', 'Chloé', 'Ravi', 'Yuki', 'Ole'] as const
export const LAST_NAMES = ['O\'Brien', 'Müller', 'Nakamura', 'Papadopoulos', 'García', 'Smith', 'D’Angelo', 'Østergaard', 'Kowalski', 'Nguyễn', 'Schröder', 'Dubois'] as const

export const GROUPS = ['LAB\\Domain Users', 'LAB\\Engineering Staff', 'LAB\\Sales Team', 'LAB\\O\'Brien’s Crew', 'LAB\\東京 Staff'] as const
export const FOLDERS = ['OU=Staff,DC=lab,DC=cutover,DC=test', 'OU=Contractors,DC=lab,DC=cutover,DC=test'] as const

export const ADDINS = [
  { name: 'Build dashboard', url: 'https://build.lab.cutover.test/addin' },
  { name: 'Wiki ‘notes’', url: 'https://wiki.lab.cutover.test/addin?room=1&view=2' },
  { name: 'Tickets', url: 'https://tickets.lab.cutover.test/addin' },
] as const

/** Message texts; `{n}` is replaced by a number. */
export const PHRASES = [
  'Good morning, team',
  'Build {n} is green',
  'O\'Brien says ‘ship it’',
  'Don’t forget the review at 10:00',
  'Grüße aus Zürich!',
  '東京の会議は10時からです',
  'Καλημέρα από την Αθήνα',
  'Use `Get-Date`, not $(date)',
  'Ticket #{n} | priority; high',
  '<# not a comment #> just text',
  'He said "done" — really',
  'Café ☕ at 3pm?',
  'Merged change {n} into main',
  'Deploying to staging now',
  'Who owns the ‚legacy‛ server?',
  'Rollback of release {n} finished',
  'See the wiki page, section {n}',
  'Lunch? 🍜',
] as const

export const FILE_NAMES = ['Agenda ‘Q3’.txt', 'Zürich plan.txt', '設計メモ.txt', 'notes $(v1).txt', 'build-log.txt', 'O\'Brien’s budget.csv'] as const

/** Plain ASCII for SIP addresses and account names, built from the names above. */
export function asciiName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}
