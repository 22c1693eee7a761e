"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { PaletteContact } from "./palette-items";

// Asked once typing pauses this long, and only from this many characters.
const PAUSE_MS = 150;
const MIN_CHARS = 2;

/** The people whose name or address contains what is typed in the palette (busiest first). */
export function usePaletteContacts(slug: string, query: string): PaletteContact[] {
  const wanted = query.trim();
  const [asked, setAsked] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setAsked(wanted), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [wanted]);
  const { data } = useQuery({
    queryKey: ["palette-contacts", slug, asked],
    enabled: asked.length >= MIN_CHARS,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const response = await fetch(`/api/orgs/${encodeURIComponent(slug)}/contacts?q=${encodeURIComponent(asked)}`, { signal });
      if (!response.ok) return { q: asked, contacts: [] };
      return { q: asked, contacts: ((await response.json()) as { contacts: PaletteContact[] }).contacts };
    },
  });
  if (wanted.length < MIN_CHARS || !data) return [];
  if (data.q === wanted) return data.contacts;
  // Found for an earlier text, kept while the next answer comes: only those that still match.
  const text = wanted.toLowerCase();
  return data.contacts.filter((c) => `${c.name ?? ""} ${c.email}`.toLowerCase().includes(text));
}
