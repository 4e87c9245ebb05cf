// What configure() reports: settings from the environment it could not use as given (an unknown propagator or
// sampler), through the one diagnostics reporter every component uses.
import { DiagnosticsReporter } from '../diagnostics/reporter.js';

export const configReporter = new DiagnosticsReporter<'settingsIgnored', never>({
  component: 'configure()',
  problems: {
    settingsIgnored: {
      one: 'setting from the environment ignored',
      many: 'settings from the environment ignored',
      warning: 'SETTING_IGNORED',
    },
  },
  tallies: [],
});

/** Counts an ignored setting and says so every time: each is a mistake in a deployment worth seeing. */
export function reportIgnoredSetting(message: string): void {
  configReporter.problem('settingsIgnored', 1, message, true);
}
