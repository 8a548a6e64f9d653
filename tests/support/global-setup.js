// Cloud functions run in UTC on CloudBase; tests run there too so a Shanghai-day bug shows up.
module.exports = async () => {
  process.env.TZ = 'UTC';
};
