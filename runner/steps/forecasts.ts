import type { Inventory } from '../sql/inventory.js'
import type { Forecast } from './define.js'

/** A step of fixed work: conservative minutes for ordinary hardware, since Microsoft publishes
 * no figures. */
export function fixedMinutes(minutes: number): Forecast {
  return { minutes, basis: 'default' }
}

/** A step that moves a source's messages: fixed minutes plus the messages since the cutoff at
 * `perSecond`, when the source's inventory is known. */
export function messageMinutes(minutes: number, perSecond: number, inventory: Inventory | undefined): Forecast {
  if (inventory === undefined) return fixedMinutes(minutes)
  return { minutes: minutes + Math.ceil(inventory.totals.messages / perSecond / 60), basis: 'inventory' }
}
