import { Building2 } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CompaniesFilter } from "@/components/contacts/companies-filter";
import { TimelinePager } from "@/components/contacts/timeline-pager";
import { formatCount } from "@/components/mail/format";
import { KeyboardList } from "@/components/mail/keyboard-list";
import { Avatar } from "@/components/ui/avatar";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { listCompanies } from "@/lib/contacts/list-companies";
import { getOrgContext } from "@/lib/tenancy/get-org-context";
import { runAsOrg } from "@/lib/tenancy/run-as-org";

export const metadata: Metadata = { title: "Companies" };

export default async function CompaniesPage(props: PageProps<"/[slug]/companies">) {
  const { slug } = await props.params;
  const ctx = await getOrgContext(slug);
  const search = await props.searchParams;
  const q = typeof search.q === "string" ? search.q.trim().slice(0, 200) : "";
  const page = Math.max(1, Number(search.page) || 1);
  const list = await runAsOrg(ctx, (db) => listCompanies(db, ctx, { q, page }));

  return (
    <>
      <PageHeader title="Companies" description="The organisations your contacts work at, by email domain (personal mail like gmail.com left out)." />
      <div className="mb-3 flex items-center gap-2">
        <CompaniesFilter initial={q} />
        <span className="ml-auto text-[12px] text-ink-muted tabular-nums">
          {formatCount(list.total)} {list.total === 1 ? "company" : "companies"}
        </span>
      </div>
      {list.rows.length ? (
        <div className="overflow-hidden rounded-lg border border-line bg-panel">
          <KeyboardList>
            <table className="w-full table-fixed border-collapse text-[13px]" data-testid="companies-table">
              <thead className="sticky top-0 z-10 bg-sunken">
                <tr className="border-b border-line text-[12px] font-medium text-ink-muted">
                  <th scope="col" className="h-9 px-4 text-left font-medium">Company</th>
                  <th scope="col" className="h-9 w-[34%] px-4 text-left font-medium">People</th>
                  <th scope="col" className="h-9 w-[110px] px-4 text-right font-medium">Messages</th>
                  <th scope="col" className="h-9 w-[130px] px-4 text-right font-medium">Last contact</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((company) => (
                  <tr key={company.domain} className="border-b border-line last:border-0 hover:bg-hover/50">
                    <td className="px-4 py-2">
                      <Link href={`/${slug}/companies/${company.domain}`} data-row data-testid="company-row" className="flex items-center gap-2.5 rounded outline-none focus-visible:bg-accent-soft/70">
                        <Avatar name={company.domain} size={26} square />
                        <span className="truncate font-medium text-ink">{company.domain}</span>
                      </Link>
                    </td>
                    <td className="px-4 py-2">
                      <span className="flex min-w-0 items-center gap-2">
                        <span className="flex -space-x-1.5">
                          {company.sample.slice(0, 3).map((p) => (
                            <Avatar key={p.id} name={p.name || p.email} size={20} className="ring-2 ring-panel" />
                          ))}
                        </span>
                        <span className="truncate text-ink-muted">
                          {company.sample
                            .slice(0, 2)
                            .map((p) => p.name || p.email.split("@")[0])
                            .join(", ")}
                          {company.people > 2 ? ` +${company.people - 2}` : ""}
                        </span>
                      </span>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatCount(company.messages)}</td>
                    <td className="px-4 py-2 text-right text-ink-muted tabular-nums">{company.lastSeenAt ? <RelativeTime date={company.lastSeenAt} /> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </KeyboardList>
          <TimelinePager basePath={`/${slug}/companies`} query={{ q }} page={list.page} hasMore={list.page < list.pageCount} />
        </div>
      ) : (
        <EmptyState icon={Building2} title={q ? `No company matches “${q}”` : "No companies yet"}>
          {q ? "Try part of a domain, like “acme”." : "Companies appear as mail with people at work addresses syncs."}
        </EmptyState>
      )}
    </>
  );
}
