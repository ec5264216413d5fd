using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Deployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeployAgents",
                columns: table => new
                {
                    InstanceName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Os = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Root = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHeartbeatAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeployAgents", x => x.InstanceName);
                });

            migrationBuilder.CreateTable(
                name: "DeployApplications",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeployApplications", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "DeploymentGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TagFilters = table.Column<string>(type: "TEXT", nullable: false),
                    InstanceNames = table.Column<string>(type: "TEXT", nullable: false),
                    DeploymentConfig = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AutoRollback = table.Column<bool>(type: "INTEGER", nullable: false),
                    IgnoreApplicationStopFailures = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastSuccessfulRevision = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastSuccessfulDeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeploymentGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeploymentGroups_DeployApplications_ApplicationName",
                        column: x => x.ApplicationName,
                        principalTable: "DeployApplications",
                        principalColumn: "Name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Deployments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GroupName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Revision = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DeploymentConfig = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    IgnoreApplicationStopFailures = table.Column<bool>(type: "INTEGER", nullable: false),
                    FileExistsBehavior = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    AutoRollback = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsRollback = table.Column<bool>(type: "INTEGER", nullable: false),
                    RollbackOfId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RollbackDeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deployments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deployments_DeploymentGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "DeploymentGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DeploymentInstances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AttemptId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DispatchedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    Events = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeploymentInstances", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeploymentInstances_Deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalTable: "Deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeploymentGroups_ApplicationName_Name",
                table: "DeploymentGroups",
                columns: new[] { "ApplicationName", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeploymentInstances_DeploymentId_Ordinal",
                table: "DeploymentInstances",
                columns: new[] { "DeploymentId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeploymentInstances_Status_InstanceName",
                table: "DeploymentInstances",
                columns: new[] { "Status", "InstanceName" });

            migrationBuilder.CreateIndex(
                name: "IX_Deployments_GroupId_CreatedAt",
                table: "Deployments",
                columns: new[] { "GroupId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeployAgents");

            migrationBuilder.DropTable(
                name: "DeploymentInstances");

            migrationBuilder.DropTable(
                name: "Deployments");

            migrationBuilder.DropTable(
                name: "DeploymentGroups");

            migrationBuilder.DropTable(
                name: "DeployApplications");
        }
    }
}
