import type { Connection } from './db/connection.js';
import type { Config } from './config.js';
import type { CurrentUser } from './core/auth/current-user.js';
import type { EngagementContext } from './core/engagement/access.js';

declare module 'fastify' {
  interface Session {
    userId?: number;
    returnTo?: string;
    flash?: string;
  }
  interface FastifyInstance {
    config: Config;
    conn: Connection;
    routeTable: import('./app.js').RouteEntry[];
    /** This instance's Ed25519 key: signs archive manifests and trail checkpoints. */
    signingKey: import('./core/signing/index.js').InstanceKey;
    /** Signs checkpoints of the audit trail's head into the file beside the database. */
    trailAnchor: import('./features/audit-trail/index.js').TrailAnchor;
    /** Background work running per engagement (imports), which approval and archiving wait for. */
    engagementJobs: import('./core/engagement/jobs.js').EngagementJobs;
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    engagementContext: EngagementContext | null;
  }
  interface FastifyReply {
    page(template: string, data?: Record<string, unknown>): Promise<string>;
    /** The template alone, without the reader's session: user, engagements list and flash are left out. */
    renderBody(template: string, data: Record<string, unknown>): Promise<string>;
    /** `body` in the layout with the reader's header and flash; just `body` for an htmx fragment request. */
    pageAround(body: Buffer[], data?: Record<string, unknown>): Promise<Buffer>;
  }
  interface FastifyContextConfig {
    /** Reachable without logging in. */
    public?: boolean;
  }
}
