import type { Product, Source, Target } from './types.js'

/**
 * Windows service names cutover stops and starts when the plan does not list them. Microsoft does
 * not document them (docs/microsoft-facts.md#what-cutover-guesses): they are best guesses, and validate warns whenever one is used so
 * the admin confirms the real names (Get-Service, Get-CsWindowsService) before the night.
 */
export const DEFAULT_LEGACY_SERVICES: Readonly<Record<Product, readonly string[]>> = {
  'lync2010-groupchat': ['GroupChatChannel', 'GroupChatLookup', 'GroupChatCompliance'],
  'ocs2007r2-groupchat': ['GroupChatChannel', 'GroupChatLookup', 'GroupChatCompliance'],
}
export const DEFAULT_TARGET_SERVICES: readonly string[] = ['RTCCHAT']

export function legacyServices(source: Source): readonly string[] {
  return source.services ?? DEFAULT_LEGACY_SERVICES[source.product]
}

export function targetServices(target: Target): readonly string[] {
  return target.services ?? DEFAULT_TARGET_SERVICES
}
