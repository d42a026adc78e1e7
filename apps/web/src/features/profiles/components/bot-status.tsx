import type { Profile } from '@kestrel/contracts';
import { Badge, type Tone } from '../../../components/ui/badge.tsx';

const TONES: Record<Profile['status'], Tone> = { running: 'up', paused: 'warn', halted: 'down', stopped: 'neutral' };

/** The bot's status, and its trading state when that says more (REDUCING: exits only). */
export function BotStatus({ profile }: { profile: Pick<Profile, 'status' | 'tradingState' | 'haltReason'> }) {
  return (
    <span className="btn-group" data-testid="bot-status" data-status={profile.status}>
      <Badge tone={TONES[profile.status]} title={profile.haltReason ?? undefined}>
        {profile.status}
      </Badge>
      {profile.tradingState !== 'ACTIVE' && profile.tradingState !== (profile.status === 'halted' ? 'HALTED' : '') && (
        <Badge tone={profile.tradingState === 'HALTED' ? 'down' : 'warn'} plain>
          {profile.tradingState}
        </Badge>
      )}
    </span>
  );
}

/** Why the bot is in its state, in words. */
export function botWhy(profile: Pick<Profile, 'status' | 'haltReason' | 'tradingState'>): string {
  if (profile.haltReason) return profile.haltReason;
  switch (profile.status) {
    case 'running':
      return profile.tradingState === 'REDUCING' ? 'running, exits only' : 'trading on each closed bar';
    case 'paused':
      return 'paused by a user; open orders stay';
    case 'stopped':
      return 'stopped; start it to trade';
    case 'halted':
      return 'halted by a kill switch';
  }
}
