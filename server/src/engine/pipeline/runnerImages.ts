// Hosted runner images: which labels are retired (and since when), and which Windows Server build a
// Windows label runs. Facts from the runner-images announcements (actions/runner-images, shared by
// GitHub Actions and Azure Pipelines' Microsoft-hosted agents) and Azure DevOps notices; `confirmed:
// false` marks dates read only from secondary reports (project issues quoting the notice), not from the
// announcement itself. Reviewed 2026-11-29.

export type RunnerPlatform = 'github' | 'azure';

export interface RetiredRunnerImage {
  /** Labels as written in `runs-on:` / `vmImage:` (compared case-insensitively). */
  labels: readonly string[];
  platforms: readonly RunnerPlatform[];
  /** The day jobs stopped (or stop) starting on it, ISO. */
  retired: string;
  /** Azure's date when it differs from GitHub's. */
  azureRetired?: string;
  confirmed: boolean;
  /** What to move to. */
  replacement: string;
  source: string;
}

export const RETIRED_RUNNER_IMAGES: readonly RetiredRunnerImage[] = [
  { labels: ['vs2015-win2012r2', 'win1803', 'macOS-10.13', 'Hosted macOS High Sierra'], platforms: ['azure'], retired: '2020-03-23', confirmed: true, replacement: 'windows-2022 / windows-2025 (macOS: macos-15)', source: 'https://devblogs.microsoft.com/devops/removing-older-images-in-azure-pipelines-hosted-pools/' },
  { labels: ['ubuntu-16.04', 'Hosted Ubuntu 1604'], platforms: ['github', 'azure'], retired: '2021-09-20', confirmed: false, replacement: 'ubuntu-24.04', source: 'https://github.com/actions/runner-images/issues/3287' },
  { labels: ['windows-2016', 'vs2017-win2016', 'Hosted VS2017'], platforms: ['github', 'azure'], retired: '2022-04-01', azureRetired: '2022-07-31', confirmed: true, replacement: 'windows-2022 or windows-2025', source: 'https://github.com/actions/runner-images/issues/5238 (GitHub), https://github.com/actions/runner-images/issues/5403 (Azure)' },
  { labels: ['macos-10.14', 'macOS-10.14'], platforms: ['github', 'azure'], retired: '2021-12-31', confirmed: false, replacement: 'macos-15', source: 'https://github.com/actions/runner-images/issues/4060' },
  { labels: ['macos-10.15', 'macOS-10.15'], platforms: ['github', 'azure'], retired: '2022-12-01', confirmed: true, replacement: 'macos-15', source: 'https://github.com/actions/runner-images/issues/5583' },
  { labels: ['ubuntu-18.04'], platforms: ['github', 'azure'], retired: '2023-04-03', confirmed: true, replacement: 'ubuntu-24.04', source: 'https://github.com/actions/runner-images/issues/6002' },
  { labels: ['macos-11', 'macOS-11'], platforms: ['github', 'azure'], retired: '2024-06-28', confirmed: true, replacement: 'macos-15', source: 'https://github.blog/changelog/2024-05-20-actions-upcoming-changes-to-github-hosted-macos-runners/' },
  { labels: ['macos-12', 'macOS-12'], platforms: ['github', 'azure'], retired: '2024-12-03', azureRetired: '2025-01-13', confirmed: true, replacement: 'macos-15', source: 'https://github.com/actions/runner-images/issues/10721' },
  { labels: ['ubuntu-20.04'], platforms: ['github', 'azure'], retired: '2025-04-15', confirmed: true, replacement: 'ubuntu-24.04', source: 'https://github.com/actions/runner-images/issues/11101 (Azure date unconfirmed)' },
  { labels: ['windows-2019', 'Hosted Windows 2019 with VS2019'], platforms: ['github', 'azure'], retired: '2025-06-30', confirmed: true, replacement: 'windows-2022 or windows-2025', source: 'https://github.com/actions/runner-images/issues/12045' },
  { labels: ['macos-13', 'macos-13-large', 'macos-13-xlarge', 'macOS-13'], platforms: ['github', 'azure'], retired: '2025-12-04', confirmed: true, replacement: 'macos-15 (Intel: macos-15-intel)', source: 'https://github.com/actions/runner-images/issues/13046 (the notice says 4 and 8 December)' },
  { labels: ['macos-14', 'macos-14-large', 'macos-14-xlarge', 'macOS-14'], platforms: ['github', 'azure'], retired: '2026-11-02', confirmed: true, replacement: 'macos-15', source: 'https://github.com/actions/runner-images/issues/13518' },
];

export interface RetiredLabel {
  entry: RetiredRunnerImage;
  /** The retirement date on this platform. */
  date: string;
  /** The date has passed. */
  past: boolean;
}

/**
 * A label as the platform compares it. Azure Pipelines also took the spelling with a space that its early
 * YAML samples used (`vmImage: 'Ubuntu 16.04'` for `ubuntu-16.04`); its legacy hosted pools (`Hosted VS2017`,
 * `Hosted Ubuntu 1604`, written as `pool:` or `queue:` names) are listed as labels of their image.
 */
function comparable(platform: RunnerPlatform, label: string): string {
  const lower = label.trim().toLowerCase();
  return platform === 'azure' && !lower.startsWith('hosted') ? lower.replace(/\s+/g, '-') : lower;
}

/** The retirement of a hosted image label on a platform, or null when the label is current (or not a hosted image). */
export function retiredRunnerImage(platform: RunnerPlatform, label: string, now: Date): RetiredLabel | null {
  const wanted = comparable(platform, label);
  const entry = RETIRED_RUNNER_IMAGES.find((candidate) => candidate.platforms.includes(platform) && candidate.labels.some((name) => comparable(platform, name) === wanted));
  if (!entry) return null;
  const date = platform === 'azure' && entry.azureRetired ? entry.azureRetired : entry.retired;
  return { entry, date, past: now.toISOString().slice(0, 10) >= date };
}

/** Windows Server builds of the hosted Windows images (the container host's build for process isolation). */
export const WINDOWS_RUNNER_BUILDS: ReadonlyMap<string, number> = new Map([
  ['windows-2016', 14393], ['vs2017-win2016', 14393], ['hosted vs2017', 14393], ['windows-2019', 17763], ['hosted windows 2019 with vs2019', 17763], ['windows-2022', 20348], ['windows-2025', 26100],
  ['windows-2025-vs2026', 26100], ['windows-11-arm', 26100],
]);

/**
 * The explicit image `windows-latest` stands for on a date. GitHub: Windows Server 2022 from 2022-03-06,
 * Server 2025 from the migration that ended 2025-09-30 (actions/runner-images#12677). Azure Pipelines
 * follows the same images; its switch date to 2025 is not confirmed.
 */
export function windowsLatestImage(platform: RunnerPlatform, now: Date): { label: string; confirmed: boolean } {
  const day = now.toISOString().slice(0, 10);
  if (day < '2025-09-30') return { label: 'windows-2022', confirmed: true };
  return { label: 'windows-2025', confirmed: platform === 'github' };
}
