// The API's JSON shapes the player uses (docs/api.md).

export interface User {
  id: string;
  username: string;
  email?: string | null;
  roles: string[];
  created_at: string;
}

export interface AuthSession {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  user: User;
}

export interface Technique {
  id: string;
  name: string;
  framework: string;
  summary: string;
}

export interface World {
  id: string;
  title: string;
  version: number;
  summary: string;
  therapeutic_focus: string[];
  techniques: Technique[];
  content_notes: string[];
  age_guidance: string;
  locale: string;
}

export interface Profile {
  goals?: string[];
  frameworks?: string[];
  max_intensity?: string;
  topics_to_avoid?: string[];
  questionnaires?: string;
  [key: string]: unknown;
}

export interface Character {
  id: string;
  name: string;
  pronouns: string;
  background: string | null;
  locale: string | null;
  profile: Profile;
  created_at: string;
  updated_at: string;
}

export interface CrisisResource {
  name: string;
  phone?: string;
  sms?: string;
  sms_keyword?: string;
  url?: string;
  hours?: string;
  text?: string;
}

export interface Crisis {
  message?: string;
  country?: string;
  emergency?: string;
  resources: CrisisResource[];
  [key: string]: unknown;
}

export interface Choice {
  number: number;
  text: string;
}

export interface Turn {
  number: number;
  parent: number;
  recorded: boolean;
  kind: string;
  narrative: string;
  choices: Choice[];
  safety_level: string;
  ended: boolean;
  ending: string | null;
  crisis?: Crisis;
  summary?: unknown;
}

export interface Session {
  id: string;
  world_id: string;
  character_id: string;
  title: string;
  status: string;
  head: number;
  last_turn: number;
  created_at: string;
  updated_at: string;
  turn?: Turn | null;
}

// The therapy routes (GET /v1/me/progress and friends); every field optional, since the
// player must cope with an older server that lacks them.
export interface ProgressReport {
  skills?: { technique: string; practised: number; completed: number; first_at_ms?: number; last_at_ms?: number }[];
  beats_declined?: number;
  mood?: { count: number; first: number; last: number; average: number; lowest: number; highest: number } | null;
  measures?: MeasureSeries[];
  last_session?: SessionSummary | null;
}

export interface MeasureSeries {
  measure: string;
  points: { at_ms: number; total: number; severity: string }[];
}

export interface SessionSummary {
  session_id: string;
  turns: number;
  duration_ms?: number;
  places_visited?: number;
  techniques?: { technique: string; practised?: number; completed?: number }[];
  mood_before?: number | null;
  mood_after?: number | null;
}

export interface MoodPoint {
  at_ms: number;
  score: number;
  feelings?: string[];
}

export interface PlanContact {
  name: string;
  contact?: string;
}

export interface SafetyPlan {
  warning_signs: string[];
  coping_strategies: string[];
  distractions: PlanContact[];
  people_to_ask: PlanContact[];
  professionals: PlanContact[];
  safe_environment: string[];
  reasons_for_living: string[];
}
