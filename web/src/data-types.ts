// The shapes of the data compiled into the player at build time (tools/data.ts).

export interface Helpline {
  name: string;
  phone: string;
  sms: string;
  sms_keyword: string;
  url: string;
  hours: string;
  notes: string;
  topics: string[];
}

export interface Country {
  code: string; // ISO 3166-1 alpha-2; "" for the international fallback
  name: string;
  emergency: string;
  helplines: Helpline[];
}

export interface HelplineDirectory {
  version: string;
  reviewed: string;
  languages: Record<string, string>; // "de" -> "DE"
  aliases: Record<string, string>; // "UK" -> "GB"
  fallback: Country;
  countries: Record<string, Country>;
}

export interface BundledData {
  helplines: HelplineDirectory;
  goals: { id: string; description: string }[];
  feelings: string[];
  techniques: { id: string; name: string; framework: string }[];
  contentTags: string[];
}
