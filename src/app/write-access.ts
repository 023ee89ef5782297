interface PermissionOctokit {
  rest: {
    repos: {
      getCollaboratorPermissionLevel(params: { owner: string; repo: string; username: string }): Promise<{ data: { permission: string } }>;
    };
  };
}

/** Only people who can push may spend tokens through commands. */
export async function hasWriteAccess(octokit: PermissionOctokit, owner: string, repo: string, username: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
    // `permission` is the base of the person's role: admin for admin; write for maintain, write and any
    // custom role built on them; read for triage and read. (`role_name`, the role itself, decides nothing more.)
    return ["admin", "write"].includes(data.permission);
  } catch (err) {
    // Not a collaborator: GitHub answers 404.
    if ((err as { status?: number }).status === 404) return false;
    throw err;
  }
}

/**
 * GitHub's `author_association` on a comment, read from the signed payload:
 * write access comes only with ownership, organisation membership or being
 * a collaborator, so any other association is known not to have it without
 * asking the API (which anyone who can comment could otherwise make us do).
 */
export function mayHaveWriteAccess(association: string | undefined): boolean {
  return association === undefined || ["OWNER", "MEMBER", "COLLABORATOR"].includes(association);
}
