namespace Simulation.Model.Time;

public enum TickLength
{
    Day,
    Week,
    Month,
}
