/**
 * What the hub knows about the device behind a socket: set once by the auth middleware, then used
 * by every handler to scope reads and writes to the device's brand and branch.
 */
import type { Socket } from 'socket.io';

export interface DeviceContext {
  id: string;
  brandId: string;
  branchId: string;
  name: string;
  /**
   * This device and the devices it replaced (re-enrolled after lost credentials), newest first:
   * their mutation ids and sign-ins count as this device's (devices/reenroll.ts).
   */
  lineage: string[];
}

export const brandRoom = (brandId: string): string => `brand:${brandId}`;
export const branchRoom = (branchId: string): string => `branch:${branchId}`;

export function deviceOf(socket: Socket): DeviceContext {
  const device = (socket.data as { device?: DeviceContext }).device;
  if (!device) throw new Error('socket has no device context (auth middleware not run)');
  return device;
}
