namespace Cluster.Worker.Users;

/// <summary>The body of <c>POST /users</c>. Both fields are nullable because clients may omit them; validation reports that.</summary>
internal sealed record CreateUserRequest(string? Name, string? Email);
