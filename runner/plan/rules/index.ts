import { endpointMatchesLookup, fqdn, sipUri, sqlInstance } from './addresses.js'
import { backupDirectory } from './backups.js'
import { checkpointBefore } from './checkpoints.js'
import { decommissionOrder } from './decommission.js'
import { badPath, duplicateMapping, nameTooLong, skipWithChanges, targetNameCollision, unexportedCategory } from './mappings.js'
import type { Rule } from './rule.js'
import { envReference, secretInPlan, stateConnection } from './secrets.js'
import { remoting, scriptTimeout } from './environment.js'
import { controlCharacter } from './text.js'
import { wildcardName } from './wildcards.js'
import { duplicateSourceId, missingConnection, samePool, unconfirmedServices, unknownSource } from './sources.js'
import { cutoffAfterWindow, marginTooLong, unknownTimeZone, windowDst, windowLength, windowOrder, windowTime } from './window.js'

/** Every semantic rule, in the order their findings are most useful to read. */
export const RULES: readonly Rule[] = [
  duplicateSourceId, unknownSource, samePool, missingConnection, backupDirectory, unconfirmedServices, wildcardName,
  badPath, duplicateMapping, nameTooLong, targetNameCollision, skipWithChanges, unexportedCategory,
  windowTime, unknownTimeZone, windowDst, windowOrder, windowLength, marginTooLong, cutoffAfterWindow,
  scriptTimeout, remoting, decommissionOrder, checkpointBefore, fqdn, sqlInstance, sipUri, endpointMatchesLookup,
  envReference, secretInPlan, stateConnection, controlCharacter,
]
