using System.Globalization;
using Cluster.Worker.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cluster.Worker.Users;

internal static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/users", ListAsync);
        app.MapGet("/users/{id:long}", GetAsync);
        app.MapPost("/users", CreateAsync);
    }

    private static async Task<IResult> ListAsync(UserRepository users, CancellationToken cancellationToken) =>
        Results.Ok(await users.ListAsync(cancellationToken));

    private static async Task<IResult> GetAsync(long id, UserRepository users, CancellationToken cancellationToken) =>
        await users.FindAsync(id, cancellationToken) is { } user
            ? Results.Ok(user)
            : ErrorResults.Json(StatusCodes.Status404NotFound, $"User {id} not found.");

    private static async Task<IResult> CreateAsync(
        HttpRequest request, UserRepository users, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        CreateUserRequest input;
        try
        {
            input = await CreateUserRequestReader.ReadAsync(request, json.Value.SerializerOptions, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            return ErrorResults.Json(e.StatusCode, e.Message);
        }

        var name = input.Name?.Trim() ?? "";
        var email = input.Email?.Trim() ?? "";
        var errors = UserValidator.Validate(name, email);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var user = await users.TryCreateAsync(name, email, cancellationToken);
        return user is null
            ? ErrorResults.Json(StatusCodes.Status409Conflict, "A user with this email already exists.")
            : Results.Created(string.Create(CultureInfo.InvariantCulture, $"/users/{user.Id}"), user);
    }
}
