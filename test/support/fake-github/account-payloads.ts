import { repoApi, repoHtml, type GitHubSite, type Json, type UserType } from "./github-site.js";

/** REST payloads of users, the repository, installation tokens and collaborator permissions. */

export function userPayload(site: GitHubSite, login: string, type: UserType = "User"): Json {
  const id = site.userId(login);
  return {
    login,
    id,
    node_id: site.nodeId("U", id),
    avatar_url: site.avatarUrl(id),
    gravatar_id: "",
    url: `${site.apiUrl}/users/${encodeURIComponent(login)}`,
    html_url: `${site.webUrl}/${encodeURIComponent(login)}`,
    type,
    site_admin: false,
  };
}

/** The served repository (owned by an organisation); `extra` adds fields a fake wants beyond the common ones. */
export function repositoryPayload(site: GitHubSite, defaultBranch: string, extra: Json = {}): Json {
  return {
    id: 1296269,
    node_id: site.nodeId("R", site.repo),
    name: site.repo,
    full_name: `${site.owner}/${site.repo}`,
    private: false,
    owner: userPayload(site, site.owner, "Organization"),
    html_url: repoHtml(site),
    url: repoApi(site),
    default_branch: defaultBranch,
    visibility: "public",
    archived: false,
    fork: false,
    ...extra,
  };
}

/** `GET /app` (authenticated as the app, with its JWT): the app's own record; Baton reads its slug. */
export function appPayload(site: GitHubSite): Json {
  return {
    id: site.app.id,
    slug: site.app.slug,
    node_id: site.nodeId("A", site.app.id),
    client_id: `Iv1.${site.app.slug}`,
    owner: userPayload(site, site.owner, "Organization"),
    name: site.app.name,
    description: "",
    external_url: `${site.webUrl}/apps/${site.app.slug}`,
    html_url: `${site.webUrl}/apps/${site.app.slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write" },
    events: ["check_run", "issue_comment", "issues", "pull_request", "push"],
    installations_count: 1,
  };
}

/** `POST /app/installations/{id}/access_tokens`. */
export function installationTokenPayload(token: string, expiresAt: string): Json {
  return {
    token,
    expires_at: expiresAt,
    permissions: { checks: "write", contents: "write", issues: "write", pull_requests: "write", metadata: "read" },
    repository_selection: "selected",
  };
}

/** `GET /repos/{owner}/{repo}/collaborators/{login}/permission`: the legacy permission and the role. */
export function permissionPayload(site: GitHubSite, login: string, role: string): Json {
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return { permission: legacy, role_name: role, user: userPayload(site, login) };
}
