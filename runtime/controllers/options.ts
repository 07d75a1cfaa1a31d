/** The flags of the controllers the server runs itself, with kube-controller-manager's names. */
import type { Command } from 'commander';
import { list, parseDuration, type ParsedFlags } from '../server/flag-parsers.ts';
import { enabledControllers, knownControllers } from './index.ts';

export interface ControllerOptions {
  /** In-process controllers that are on (runtime/controllers/index.ts). */
  controllers: string[];
  /** Seconds between full recounts of every quota (kube-controller-manager's --resource-quota-sync-period). */
  resourceQuotaSyncPeriodSeconds: number;
}

export function addControllerFlags(program: Command): Command {
  const names = [...new Set(Object.values(knownControllers))].join(', ');
  return program
    .option('--controllers <names>', `in-process controllers: * (the default ones), name to add, -name to remove (${names})`, list, [])
    .option('--resource-quota-sync-period <duration>', 'how often every ResourceQuota is recounted in full (0: only on changes)', parseDuration, 300);
}

export function controllerOptions(o: ParsedFlags, errors: string[]): ControllerOptions {
  const controllers = enabledControllers(o.controllers.length ? o.controllers : ['*']);
  errors.push(...controllers.errors);
  return { controllers: controllers.names, resourceQuotaSyncPeriodSeconds: o.resourceQuotaSyncPeriod };
}
